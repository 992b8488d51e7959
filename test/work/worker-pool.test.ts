/**
 * The worker pool's report path, on real worker threads: a reply's first words skip the queue on
 * both sides of the thread boundary (time to first token), while every other report keeps its order.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { workerEntryUrl } from "../../src/app/worker-url.ts";
import { ConfigSchema, type Config } from "../../src/config/schema.ts";
import type { QueuedTask } from "../../src/queue/queue.ts";
import type { TaskEvent } from "../../src/work/task-events.ts";
import type { FromWorker, WorkerReport } from "../../src/work/thread-messages.ts";
import { WorkerPoolExecutor } from "../../src/work/worker-pool.ts";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import type { ScriptedReport } from "../fixtures/report-worker.ts";
import { queuedTask } from "../helpers/tasks.ts";

const task = (taskId: string, content = "hello"): QueuedTask => queuedTask({ taskId, content });

const delta = (taskId: string, text: string, first?: true): ScriptedReport => ({ type: "event", taskId, event: { kind: "delta", text }, ...(first ? { first } : {}) });

describe("reports from a worker thread", () => {
  let pool: WorkerPoolExecutor;
  beforeAll(async () => {
    pool = new WorkerPoolExecutor(() => new Worker(new URL("../fixtures/report-worker.ts", import.meta.url).href), ConfigSchema.parse({}), 1);
    await pool.ready();
  });
  afterAll(() => pool.close());

  test("a reply's first delta is handled before the reports queued ahead of it; the rest keep their order", async () => {
    const seen: string[] = [];
    const record = (name: string) => (event: TaskEvent) => seen.push(`${name}:${event.kind === "delta" ? event.text : event.kind}`);
    const longRun = pool.run(task("long"), record("long"));
    // 30 reports of a running reply, then another reply's first words, in one batch: the queue
    // hands reports on 8 per turn, so in order the first words would wait four turns.
    const batch: ScriptedReport[] = [
      ...Array.from({ length: 30 }, (_, i) => delta("long", `t${i}`)),
      delta("quick", "Hi", true),
      delta("quick", " there"),
      { type: "event", taskId: "quick", event: { kind: "end", reason: "completed" } },
      { type: "event", taskId: "long", event: { kind: "end", reason: "completed" } },
    ];
    await pool.run(task("quick", JSON.stringify(batch)), record("quick"));
    await longRun;
    expect(seen[0]).toBe("quick:Hi");
    expect(seen.slice(1)).toEqual([...Array.from({ length: 30 }, (_, i) => `long:t${i}`), "quick: there", "quick:end", "long:end"]);
  });
});

/** An agent worker thread whose report batches are also pushed to `batches`, as they crossed. */
function recording(batches: WorkerReport[][]): Worker {
  const worker = new Worker(workerEntryUrl());
  worker.addEventListener("message", (event: MessageEvent<FromWorker>) => batches.push(event.data.messages));
  return worker;
}

test("a task run again while its earlier run winds down: each run gets its own reports", async () => {
  const pool = new WorkerPoolExecutor(() => new Worker(new URL("../fixtures/report-worker.ts", import.meta.url).href), ConfigSchema.parse({}), 1);
  try {
    await pool.ready();
    const seen: string[] = [];
    // The first run loses its lease (aborted, still ending in the thread), and the node takes the task again.
    const lost = new AbortController();
    const first = pool.run(task("t"), (event) => seen.push(`first:${event.kind}`), { signal: lost.signal });
    lost.abort("lease-lost");
    const batch: ScriptedReport[] = [
      { type: "event", taskId: "t", attempt: 0, event: { kind: "delta", text: "old" }, first: true },
      delta("t", "new", true),
      { type: "event", taskId: "t", attempt: 0, event: { kind: "end", reason: "failed" } },
      { type: "event", taskId: "t", event: { kind: "end", reason: "completed" } },
    ];
    await pool.run(task("t", JSON.stringify(batch)), (event) => seen.push(`second:${event.kind === "delta" ? event.text : event.kind}`));
    await first;
    expect(seen).toEqual(["first:delta", "second:new", "first:end", "second:end"]);
  } finally {
    await pool.close();
  }
});

test("a report whose handling throws is passed to onError, and the others are still handled", async () => {
  const errors: unknown[] = [];
  const pool = new WorkerPoolExecutor(
    () => new Worker(new URL("../fixtures/report-worker.ts", import.meta.url).href),
    ConfigSchema.parse({}),
    1,
    undefined,
    undefined,
    (error) => errors.push(error),
  );
  try {
    await pool.ready();
    const seen: string[] = [];
    const failing = (event: TaskEvent) => {
      seen.push(`bad:${event.kind}`);
      if (event.kind === "delta") throw new Error(`cannot handle ${event.text}`);
    };
    const badRun = pool.run(task("bad"), failing);
    const batch: ScriptedReport[] = [
      delta("bad", "first", true), // handled at once
      delta("bad", " later"), // handled in a slice
      { type: "event", taskId: "bad", event: { kind: "end", reason: "completed" } },
      delta("good", "fine", true),
      { type: "event", taskId: "good", event: { kind: "end", reason: "completed" } },
    ];
    await pool.run(task("good", JSON.stringify(batch)), (event) => seen.push(`good:${event.kind}`));
    await badRun;
    expect(errors.map((error) => (error as Error).message)).toEqual(["cannot handle first", "cannot handle  later"]);
    expect(seen).toEqual(["bad:delta", "good:delta", "bad:delta", "bad:end", "good:end"]);
  } finally {
    await pool.close();
  }
});

describe("a worker thread running agents", () => {
  let model: FixtureModel;
  let dataDir: string;
  let config: Config;
  beforeAll(async () => {
    model = await startFixtureModel();
    dataDir = mkdtempSync(join(tmpdir(), "agentd-worker-pool-"));
    config = ConfigSchema.parse({ data_dir: dataDir, llm: { base_url: model.url, model: "fixture-model", api_key: "k", max_retries: 0 } });
  });
  afterAll(async () => {
    await model.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("posts a reply's first delta at once, marked, and the rest of its turn after it", async () => {
    const batches: WorkerReport[][] = [];
    const pool = new WorkerPoolExecutor(() => recording(batches), config, 1);
    try {
      await pool.ready();
      // Every token at once: without the fast path they would cross as one delta, in one batch.
      model.script({ text: ["One", " two", " three", " four"], gapMs: 0 });
      const events: TaskEvent[] = [];
      await pool.run(task("t1"), (event) => events.push(event), { firstRun: true });
      expect(events.at(-1)).toMatchObject({ kind: "end", reason: "completed" });
      expect(events.flatMap((event) => (event.kind === "delta" ? [event.text] : [])).join("")).toBe("One two three four");
      const reports = batches.flat().filter((report) => report.type === "event");
      const opening = reports.findIndex((report) => report.type === "event" && report.first);
      expect(opening).toBe(0);
      expect(reports.filter((report) => report.type === "event" && report.first)).toHaveLength(1);
      // It closed its batch: the reports after it crossed in later messages.
      const batch = batches.find((messages) => messages.includes(reports[0]!))!;
      expect(batch.at(-1)).toBe(reports[0]!);
    } finally {
      await pool.close();
    }
  });

  test("a reply that starts with something other than text has no first delta", async () => {
    const batches: WorkerReport[][] = [];
    const pool = new WorkerPoolExecutor(() => recording(batches), config, 1);
    try {
      await pool.ready();
      model.script({ error: { status: 400, message: "bad request" } });
      const events: TaskEvent[] = [];
      await pool.run(task("t2"), (event) => events.push(event), { firstRun: true });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: "end", reason: "failed" });
      const reports = batches.flat().filter((report) => report.type === "event");
      expect(reports).toHaveLength(1);
      expect(reports.some((report) => report.type === "event" && report.first)).toBe(false);
    } finally {
      await pool.close();
    }
  });
});
