import { afterAll, beforeAll, expect, test } from "bun:test";
import type { ServerMessage } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { openRawSocket } from "../helpers/raw-ws-fuzz.ts";
import { openSocket, type TestSocket } from "../helpers/ws.ts";

// ≥ 10,000 random and malformed frames over several sockets while a well-behaved client chats:
// every fuzz frame is answered, the chat completes, memory settles back.

const FRAMES = 10_400;
const FUZZ_SOCKETS = 4;
const WARM_UP = 3_000;
const MAX_FRAME = 65_536; // limits.max_frame_bytes (default)
const HARD_CAP = 1_048_576; // server.max_payload_bytes (default)
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with FUZZ_SEED. */
function prng(state: number) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = prng(seed);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
const randomText = (n: number) => Array.from({ length: n }, () => String.fromCodePoint(pick([int(128), 0xd800 + int(2048), 0x10000 + int(0xfffff), int(0xd7ff)]))).join("");
const padTo = (bytes: number) => `{"type":"message.send","clientMessageId":"pad","content":"${"a".repeat(bytes - 56)}"}`;
const deep = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

/** One fuzz frame: a string (text frame) or bytes (binary frame), with how often it is picked. */
const generators: [weight: number, make: () => string | Uint8Array][] = [
  [1, () => crypto.getRandomValues(new Uint8Array(1 + int(512)))],
  [1, () => randomText(1 + int(200))],
  [1, () => JSON.stringify({ type: "message.send", clientMessageId: "c", content: "x" }).slice(0, int(50))],
  [0.2, () => deep(10_000, "[", "]")],
  [0.2, () => deep(10_000, '{"a":', "}").replace(/}$/, "1}")],
  [1, () => `{"type":"message.send","clientMessageId":"n","content":${pick(["1e999", "-1e999", "9".repeat(5000), "NaN", "-0", "0x10"])}}`],
  [1, () => `{"type":"ping","n":${"9".repeat(1 + int(3000))}}`],
  [1, () => pick([
    '{"__proto__":{"polluted":true},"type":"ping"}',
    '{"type":"message.send","clientMessageId":"p","content":"x","__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}},"type":"ping"}',
    '{"type":"__proto__"}',
    '{"type":"constructor","clientMessageId":"toString"}',
  ])],
  [1, () => JSON.stringify({ type: pick(["message.send", "ping", "auth.refresh", "message.cancel", "", null, 7]), clientMessageId: pick([1, [], {}, "", "x".repeat(129), null]), content: pick([[], {}, 3, null, true]) })],
  // Strings near and over limits.max_frame_bytes (answered bad_request; the socket stays open).
  [0.2, () => padTo(MAX_FRAME - int(8))],
  [0.2, () => padTo(MAX_FRAME + 1 + int(8))],
  [0.1, () => "\u00e9".repeat(MAX_FRAME / 2 + int(100))],
  [1, () => JSON.stringify({ type: "auth.refresh", token: pick([randomText(40), "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "x".repeat(9000)]) })],
  [1, () => JSON.stringify({ type: "ping" })],
  [1, () => pick(["", " ", "null", "[]", "{}", "true", '"message.send"', '{"type":"ping"', "\u0000", '\uFEFF{"type":"ping"}'])],
];
const totalWeight = generators.reduce((sum, [weight]) => sum + weight, 0);
function nextFrame(): string | Uint8Array {
  let roll = random() * totalWeight;
  for (const [weight, make] of generators) if ((roll -= weight) < 0) return make();
  return generators[0]![1]();
}

let agentd: TestAgentd;
let chatToken: string;
let fuzzToken: string;
let conversation: string;
let fuzzConversation: string;

beforeAll(async () => {
  // One thread: Bun.gc() then sees the whole heap, so RSS compares like with like.
  agentd = await startTestAgentd({ workers: { threads: 0 } });
  await agentd.addUser("polite");
  await agentd.addUser("fuzzer");
  chatToken = (await agentd.login("polite")).token;
  fuzzToken = (await agentd.login("fuzzer")).token;
  conversation = await agentd.createConversation(chatToken);
  fuzzConversation = await agentd.createConversation(fuzzToken);
});
afterAll(() => agentd.close());

const answers = (socket: TestSocket) =>
  socket.frames.filter((frame: ServerMessage) => ["error", "pong", "message.accepted", "auth.refreshed"].includes(frame.type)).length;

async function fuzzRound(sockets: TestSocket[], frames: number) {
  const sent = sockets.map(() => 0);
  const before = sockets.map(answers);
  const seen = sockets.map((socket) => socket.frames.length);
  for (let i = 0; i < frames; i++) {
    const index = i % sockets.length;
    let frame = nextFrame();
    // 0.1% well-formed sends: they go through the message limit like any client's.
    if (random() < 0.001) frame = JSON.stringify({ type: "message.send", clientMessageId: crypto.randomUUID(), content: randomText(20) });
    sockets[index]!.sendRaw(frame);
    sent[index]!++;
    if (i % 200 === 199) await Bun.sleep(0);
  }
  const deadline = Date.now() + 20_000;
  while (sockets.some((socket, i) => answers(socket) - before[i]! < sent[i]!) && Date.now() < deadline) await Bun.sleep(10);
  return sockets.map((socket, i) => ({ sent: sent[i]!, answered: answers(socket) - before[i]! }));
}

test(`the server survives ${FRAMES} fuzz frames and keeps serving a well-behaved client (FUZZ_SEED=${seed})`, async () => {
  const fuzzers = await Promise.all(Array.from({ length: FUZZ_SOCKETS }, () => agentd.connect(fuzzConversation, fuzzToken)));
  const chat = await agentd.connect(conversation, chatToken);
  // Warm up every path (and the allocator's pools for big frames) before measuring memory.
  await fuzzRound(fuzzers, WARM_UP);
  for (const socket of fuzzers) socket.frames.length = 0;
  await sendAndCollect(chat, "warm up");
  await sendAndCollect(chat, "warm up again");
  Bun.gc(true);
  const rssBefore = process.memoryUsage().rss;

  agentd.model.script({ text: ["All ", "of ", "this ", "arrived."], gapMs: 5 });
  const conversationDone = (async () => {
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await sendAndCollect(chat, `question ${i}`));
    return replies;
  })();
  const results = await fuzzRound(fuzzers, FRAMES);

  // Frames a browser cannot send: text with invalid UTF-8, and frames over the hard cap.
  for (let i = 0; i < 5; i++) {
    const raw = await openRawSocket(agentd.wsUrl(fuzzConversation), { authorization: `Bearer ${fuzzToken}` });
    expect(raw.upgraded).toBe(true);
    raw.sendFrame(0x1, new Uint8Array([0x7b, 0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe, 0x7d]));
    await raw.closed;
    expect(raw.closeCode).toBe(1007);
  }
  const huge = openSocket(agentd.wsUrl(fuzzConversation), { authorization: `Bearer ${fuzzToken}` });
  await huge.next("session.ready");
  huge.sendRaw("x".repeat(HARD_CAP + 1));
  expect((await huge.closed).code).toBe(1009);

  for (const { sent, answered } of results) expect(answered).toBe(sent);
  expect(results.reduce((sum, r) => sum + r.sent, 0)).toBeGreaterThanOrEqual(10_000);
  const replies = await conversationDone;
  for (const { end, text } of replies) {
    expect(end.reason).toBe("completed");
    expect(text.length).toBeGreaterThan(0);
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);

  // Still serving after all of it, on the fuzzed sockets too.
  fuzzers[0]!.send({ type: "ping" });
  await fuzzers[0]!.next("pong");
  for (const socket of [...fuzzers, chat]) socket.close();
  await Promise.all([...fuzzers, chat].map((socket) => socket.closed));
  await Bun.sleep(100);
  Bun.gc(true);
  const rssAfter = process.memoryUsage().rss;
  console.log(`fuzz: seed ${seed}, RSS ${(rssBefore / 2 ** 20).toFixed(1)} MiB → ${(rssAfter / 2 ** 20).toFixed(1)} MiB`);
  expect(rssAfter).toBeLessThan(rssBefore * 1.2);
}, 60_000);
