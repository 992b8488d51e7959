import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import type { ConversationWithMessages, SessionReady } from "../../src/protocol/index.ts";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { applyFrames } from "../helpers/view.ts";
import { openSocket, type TestSocket } from "../helpers/ws.ts";

// Real servers and processes: generous limits for a loaded machine.
setDefaultTimeout(30_000);

let agentd: TestAgentd;
let token: string;
const auth = () => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  agentd = await startTestAgentd();
  await agentd.addUser("rita");
  ({ token } = await agentd.login("rita"));
});
afterAll(() => agentd.close());

const TOKENS = ["Resume", " me", " in", " the", " middle", " please"];

/** Opens a socket resuming at `lastSeq`/`epoch` and waits for its session.ready. */
async function resume(id: string, lastSeq: number, epoch: string): Promise<TestSocket> {
  const socket = openSocket(agentd.wsUrl(id, `lastSeq=${lastSeq}&epoch=${encodeURIComponent(epoch)}`), auth());
  await socket.next("session.ready");
  return socket;
}

/** Sends a message in lockstep and returns once the client has seen `seen` deltas. */
async function startReply(seen: number) {
  agentd.model.lockstep.enable();
  agentd.model.script({ text: TOKENS });
  const id = await agentd.createConversation(token);
  const socket = await agentd.connect(id, token);
  const ready = socket.frames[0] as SessionReady;
  socket.send({ type: "message.send", clientMessageId: crypto.randomUUID(), content: "go" });
  const accepted = await socket.next("message.accepted");
  for (let k = 0; k < seen; k++) {
    await agentd.model.lockstep.waitForSent(k);
    await socket.next("message.delta");
    if (k < seen - 1) agentd.model.lockstep.release();
  }
  return { id, socket, ready, accepted, view: applyFrames(socket.frames) };
}

async function untilEnd(socket: TestSocket, messageId: string) {
  await socket.nextMatching((frame) => frame.type === "message.end" && frame.messageId === messageId);
}

describe("resume on connect: /ws/chat/:id?lastSeq=&epoch=", () => {
  test("in the middle of a reply: exactly the missed events, then the live ones", async () => {
    const { id, socket, ready, accepted, view } = await startReply(2);
    socket.close();
    await socket.closed;
    agentd.model.lockstep.release(2); // two deltas go out while no client is connected
    await agentd.model.lockstep.waitForSent(3);
    const again = await resume(id, view.lastSeq, ready.epoch);
    agentd.model.lockstep.disable();
    await untilEnd(again, accepted.messageId);
    expect(again.frames[0]).toMatchObject({ type: "session.ready", lastSeq: view.lastSeq });
    expect(again.frames.some((frame) => frame.type === "session.reset")).toBe(false);
    const final = applyFrames(again.frames.slice(1), view);
    expect(final.text.get(accepted.messageId)).toBe(TOKENS.join(""));
    expect(final.ends.get(accepted.messageId)).toBe(1);
    again.close();
  });

  test("after the reply ended: the rest of it and its end, then nothing more", async () => {
    const { id, socket, ready, accepted, view } = await startReply(1);
    socket.close();
    agentd.model.lockstep.disable();
    await agentd.model.waitForSettled();
    for (let state = ""; state !== "succeeded"; await Bun.sleep(10)) {
      state = ((await (await agentd.api(`/api/tasks/${accepted.taskId}`, { token })).json()) as { state: string }).state;
    }
    const watcher = await agentd.connect(id, token); // a fresh client: nothing replayed
    expect(watcher.frames[0]).toMatchObject({ type: "session.ready" });
    const again = await resume(id, view.lastSeq, ready.epoch);
    await untilEnd(again, accepted.messageId);
    const final = applyFrames(again.frames.slice(1), view);
    expect(final.text.get(accepted.messageId)).toBe(TOKENS.join(""));
    again.send({ type: "ping" });
    await again.next("pong");
    expect(again.frames.filter((frame) => frame.type === "message.end")).toHaveLength(1);
    expect(watcher.frames.filter((frame) => frame.type === "message.delta")).toHaveLength(0);
    for (const s of [again, watcher]) s.close();
  });

  test("after a server restart (SQLite event log): same epoch, exact replay", async () => {
    const { id, socket, ready, accepted, view } = await startReply(2);
    agentd.model.lockstep.disable();
    await agentd.restart(); // graceful: the reply finishes first
    await socket.closed;
    const again = await resume(id, view.lastSeq, ready.epoch);
    await untilEnd(again, accepted.messageId);
    expect(again.frames[0]).toMatchObject({ type: "session.ready", epoch: ready.epoch });
    const final = applyFrames(again.frames.slice(1), view);
    expect(final.text.get(accepted.messageId)).toBe(TOKENS.join(""));
    expect(final.ends.get(accepted.messageId)).toBe(1);
    again.close();
  });

  test("a page loaded mid-reply resumes from the HTTP snapshot and gets the running reply from its start", async () => {
    const { id, socket, accepted } = await startReply(3);
    const snapshot = (await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as ConversationWithMessages;
    expect(snapshot.messages.some((message) => message.id === accepted.messageId)).toBe(false);
    const page = await resume(id, snapshot.lastSeq!, snapshot.epoch!);
    agentd.model.lockstep.disable();
    await untilEnd(page, accepted.messageId);
    const shown = applyFrames(page.frames);
    expect(shown.text.get(accepted.messageId)).toBe(TOKENS.join(""));
    for (const s of [socket, page]) s.close();
  });

  test("a wrong epoch gets session.reset, then the events after the last ended reply", async () => {
    const { id, socket, accepted } = await startReply(2);
    const stale = await resume(id, 1, "an-epoch-from-before");
    expect(await stale.next("session.reset")).toMatchObject({ lastSeq: 0 });
    expect(stale.frames[1]?.type).toBe("session.reset");
    agentd.model.lockstep.disable();
    await untilEnd(stale, accepted.messageId);
    expect(applyFrames(stale.frames).text.get(accepted.messageId)).toBe(TOKENS.join(""));
    for (const s of [socket, stale]) s.close();
  });

  test("a malformed lastSeq is refused with bad_request and treated as a reset", async () => {
    const id = await agentd.createConversation(token);
    const socket = openSocket(agentd.wsUrl(id, "lastSeq=abc&epoch=x"), auth());
    await socket.next("session.ready");
    expect(await socket.next("error")).toMatchObject({ code: "bad_request" });
    expect(await socket.next("session.reset")).toMatchObject({ lastSeq: 0 });
    socket.close();
  });
});

describe("a log that keeps few events", () => {
  test("a position older than the log gets session.reset; the history over HTTP plus what follows is the whole conversation", async () => {
    const small = await startTestAgentd({ events: { max_per_conversation: 3 } });
    try {
      await small.addUser("sam");
      const { token: samToken } = await small.login("sam");
      const id = await small.createConversation(samToken);
      const socket = await small.connect(id, samToken);
      const ready = socket.frames[0] as SessionReady;
      // Six events (a reply's tokens of one turn cross as one delta, then its end); the log keeps 3.
      for (const content of ["one", "two", "three"]) {
        socket.send({ type: "message.send", clientMessageId: content, content });
        const accepted = await socket.next("message.accepted");
        await untilEnd(socket, accepted.messageId);
      }
      socket.close();
      const late = openSocket(small.wsUrl(id, `lastSeq=1&epoch=${ready.epoch}`), { authorization: `Bearer ${samToken}` });
      const reset = await late.next("session.reset");
      const history = (await (await small.api(`/api/conversations/${id}`, { token: samToken })).json()) as ConversationWithMessages;
      expect(reset.lastSeq).toBe(history.lastSeq!);
      expect(history.messages.map((message) => message.content)).toEqual(["one", "echo: one", "two", "echo: two", "three", "echo: three"]);
      late.close();
    } finally {
      await small.close();
    }
  });
});

describe("memory event log", () => {
  test("after a restart the epoch changes and a resuming client gets session.reset", async () => {
    const memory = await startTestAgentd({ events: { backend: "memory" }, queue: { backend: "memory" } });
    try {
      await memory.addUser("mia");
      const { token: miaToken } = await memory.login("mia");
      const id = await memory.createConversation(miaToken);
      const socket = await memory.connect(id, miaToken);
      const ready = socket.frames[0] as SessionReady;
      socket.send({ type: "message.send", clientMessageId: "m", content: "hello" });
      await untilEnd(socket, (await socket.next("message.accepted")).messageId);
      const seen = applyFrames(socket.frames);
      await memory.restart();
      const again = openSocket(memory.wsUrl(id, `lastSeq=${seen.lastSeq}&epoch=${ready.epoch}`), { authorization: `Bearer ${miaToken}` });
      const newReady = await again.next("session.ready");
      expect(newReady.epoch).not.toBe(ready.epoch);
      expect(await again.next("session.reset")).toMatchObject({ epoch: newReady.epoch, lastSeq: 0 });
      again.close();
    } finally {
      await memory.close();
    }
  });
});
