import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { nameThisThread, niceThisThread } from "../../src/thread.ts";
import { sendAndCollect, startTestAgentd } from "../helpers/agentd.ts";
import { until } from "../helpers/until.ts";

/** Niceness of each thread of this process, with its name. */
function threads(): { tid: number; name: string; nice: number }[] {
  return readdirSync("/proc/self/task").flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return [{ tid: Number(tid), name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), nice: Number(fields[16]) }];
    } catch {
      return []; // the thread ended while listed
    }
  });
}

describe.skipIf(process.platform !== "linux")("workers.nice", () => {
  test("the worker threads run at the configured niceness; the socket thread keeps its own", async () => {
    const before = new Set(threads().map((thread) => thread.tid));
    const agentd = await startTestAgentd({ workers: { threads: 2, nice: 7 } });
    try {
      const { token } = await (async () => (await agentd.addUser("nice-user"), agentd.login("nice-user")))();
      const socket = await agentd.connect(await agentd.createConversation(token), token);
      expect((await sendAndCollect(socket, "hello")).end.reason).toBe("completed");
      // The two worker threads, and the helper threads they started (their GC) inherit it.
      const workers = threads().filter((thread) => !before.has(thread.tid) && thread.name === "Worker");
      expect(workers.map((thread) => thread.nice)).toEqual([7, 7]);
      expect(threads().find((thread) => thread.tid === process.pid)?.nice).toBe(0);
    } finally {
      await agentd.close();
    }
  });

  test("nice: 0 leaves the worker threads at the socket thread's priority", async () => {
    const before = new Set(threads().map((thread) => thread.tid));
    const agentd = await startTestAgentd({ workers: { threads: 1, nice: 0 } });
    try {
      const workers = threads().filter((thread) => !before.has(thread.tid) && thread.name === "Worker");
      expect(workers.map((thread) => thread.nice)).toEqual([0]);
    } finally {
      await agentd.close();
    }
  });

  test("a niceness it cannot set is reported as false, never thrown", () => {
    expect(niceThisThread(100)).toBe(false);
    expect(threads().find((thread) => thread.tid === process.pid)?.nice).toBe(0);
  });
});

describe.skipIf(process.platform !== "linux")("the WAL checkpoint thread", () => {
  test("a thread names itself as /proc shows it, cut to 15 characters", () => {
    const comm = "/proc/thread-self/comm";
    const before = readFileSync(comm, "utf8").trim();
    try {
      expect(nameThisThread("agentd-name-test-long")).toBe(true);
      expect(readFileSync(comm, "utf8").trim()).toBe("agentd-name-tes");
    } finally {
      nameThisThread(before);
    }
    expect(readFileSync(comm, "utf8").trim()).toBe(before);
  });

  test("is named agentd-wal and yields the CPU to the socket thread", async () => {
    const before = new Set(threads().map((thread) => thread.tid));
    const agentd = await startTestAgentd({ workers: { threads: 0 } });
    let started: number[] = [];
    try {
      const wal = threads().filter((thread) => !before.has(thread.tid) && thread.name === "agentd-wal");
      expect(wal.map((thread) => thread.nice)).toEqual([10]);
      started = wal.map((thread) => thread.tid);
    } finally {
      await agentd.close();
    }
    // Stopping the server ends it (a terminated thread leaves /proc a moment after `close` resolved).
    await until(() => threads().every((thread) => !started.includes(thread.tid)), "the WAL thread to end");
  });
});
