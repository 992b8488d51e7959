import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import type { SessionReady, TaskStatus } from "../../src/protocol/index.ts";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { openRawWebSocket } from "../helpers/raw-ws.ts";
import { applyFrames } from "../helpers/view.ts";
import { openSocket } from "../helpers/ws.ts";

// Real servers and processes: generous limits for a loaded machine.
setDefaultTimeout(30_000);

let agentd: TestAgentd;
let token: string;
const LIMIT = 256 * 1024;
beforeAll(async () => {
  agentd = await startTestAgentd({ server: { backpressure_bytes: LIMIT } });
  await agentd.addUser("slow");
  ({ token } = await agentd.login("slow"));
});
afterAll(() => agentd.close());

/**
 * What the kernel buffers on loopback for a client that stopped reading from the start: the
 * sender's largest send buffer and the receiver's first receive buffer, which grows only as its
 * owner reads.
 */
function loopbackBufferBytes(): number {
  const sysctl = (name: string) => readFileSync(`/proc/sys/net/ipv4/${name}`, "utf8").trim().split(/\s+/).map(Number);
  try {
    return sysctl("tcp_wmem")[2]! + sysctl("tcp_rmem")[1]!;
  } catch {
    return 8 * 1024 * 1024;
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await Bun.sleep(20);
  }
}

test("a client that stops reading is closed with 1013 before the reply is buffered for it, and resumes to the full text once", async () => {
  // Half again more than the kernel can hold for a client that stopped reading, so the server
  // itself must hold data back.
  const tokens = Array.from({ length: Math.ceil((1.5 * (loopbackBufferBytes() + LIMIT)) / 10_000) }, (_, i) => `${String(i).padStart(5, "0")} ${"x".repeat(10_000)} `);
  const fullText = tokens.join("");
  agentd.model.script({ text: tokens });
  agentd.model.lockstep.enable();
  const id = await agentd.createConversation(token);
  const auth = { authorization: `Bearer ${token}` };
  const raw = await openRawWebSocket(agentd.wsUrl(id), auth);
  const ready = raw.frames[0] as SessionReady;
  raw.pause();
  const sender = await agentd.connect(id, token);
  sender.send({ type: "message.send", clientMessageId: "long", content: "a very long answer please" });
  const accepted = await sender.next("message.accepted");
  // One token at a time, each released once the reading sender saw the one before: deltas reported
  // in one event-loop turn are merged, and a frame goes to the transport whole, so a loaded machine
  // would otherwise send most of the reply as one frame.
  for (let released = 1; released <= tokens.length; released++) {
    await sender.next("message.delta");
    agentd.model.lockstep.release();
  }
  agentd.model.lockstep.disable();
  sender.close();
  await agentd.model.waitForSettled({ timeoutMs: 20_000 });
  await waitUntil(async () => ((await (await agentd.api(`/api/tasks/${accepted.taskId}`, { token })).json()) as TaskStatus).state === "succeeded");
  const pausedBytes = raw.receivedBytes();
  raw.resume();
  await raw.waitFor(() => raw.closeCode() !== undefined);
  expect(raw.closeCode()).toBe(1013);
  // Nothing arrived while it did not read, and it was closed before the reply was queued for it.
  expect(pausedBytes).toBeLessThan(1_000);
  expect(raw.receivedBytes()).toBeLessThan(fullText.length);
  const seen = applyFrames(raw.frames);
  expect(seen.ends.get(accepted.messageId)).toBeUndefined();

  const resumed = openSocket(agentd.wsUrl(id, `lastSeq=${seen.lastSeq}&epoch=${ready.epoch}`), auth);
  await resumed.nextMatching((frame) => frame.type === "message.end");
  const view = applyFrames(resumed.frames, seen);
  expect(view.text.get(accepted.messageId)).toBe(fullText);
  expect(view.ends.get(accepted.messageId)).toBe(1);
  resumed.close();
}, 30_000);

test("the server pings every client; one that answers stays, one silent past the timeout is dropped", async () => {
  const pinging = await startTestAgentd({ server: { ping_interval_ms: 100, client_timeout_ms: 400 } });
  await pinging.addUser("quiet");
  const { token } = await pinging.login("quiet");
  const id = await pinging.createConversation(token);
  const auth = { authorization: `Bearer ${token}` };
  const alive = await openRawWebSocket(pinging.wsUrl(id), auth);
  const silent = await openRawWebSocket(pinging.wsUrl(id), auth, { answerPings: false });
  await silent.ended;
  expect(silent.pings).toBeGreaterThanOrEqual(2);
  expect(silent.closeCode()).toBeNull();
  expect(alive.pongs).toBeGreaterThanOrEqual(2);
  alive.sendText(JSON.stringify({ type: "ping" }));
  await alive.waitFor(() => alive.frames.some((frame) => frame.type === "pong"));
  alive.socket.end();
  await pinging.close();
});
