import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ConfigInput } from "../../src/config/schema.ts";
import type { ConversationWithMessages, MessageEnd } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import type { TestSocket } from "../helpers/ws.ts";

/** How long the fixture must see no request to count a request as held back. */
const HELD_BACK_MS = 300;

/** Starts an agentd with `workers` and a logged-in user; `closeAll` stops every one started. */
const started: TestAgentd[] = [];
async function agentdWith(workers: ConfigInput["workers"]) {
  const agentd = await startTestAgentd({ workers });
  started.push(agentd);
  await agentd.addUser("wanda");
  const { token } = await agentd.login("wanda");
  return { agentd, token };
}
afterAll(() => Promise.all(started.map((agentd) => agentd.close())));

/** Resolves when the fixture sees no chat request #`index` within HELD_BACK_MS; fails if it does. */
async function expectNoRequest(agentd: TestAgentd, index: number) {
  const arrived = await agentd.model.waitForRequest(index, { timeoutMs: HELD_BACK_MS }).then(
    () => true,
    () => false,
  );
  expect(arrived).toBe(false);
}

/** Collects the text and end of reply `messageId` from `socket`'s frames. */
async function replyOf(socket: TestSocket, messageId: string): Promise<{ text: string; end: MessageEnd }> {
  let text = "";
  for (;;) {
    const frame = await socket.nextMatching((f) => (f.type === "message.delta" || f.type === "message.end") && f.messageId === messageId);
    if (frame.type === "message.delta") text += frame.text;
    if (frame.type === "message.end") return { text, end: frame };
  }
}

for (const threads of [0, 2]) {
  describe(`workers.threads = ${threads}`, () => {
    let agentd: TestAgentd;
    let token: string;
    beforeAll(async () => {
      ({ agentd, token } = await agentdWith({ threads }));
    });

    test("a reply streams as separate deltas and completes", async () => {
      const tokens = ["Streamed", " from", " a", " worker"];
      // Tokens that reach a worker thread in one turn cross as one delta; these come apart in time.
      agentd.model.script({ text: tokens, gapMs: 40 });
      const socket = await agentd.connect(await agentd.createConversation(token), token);
      const { accepted, text, end } = await sendAndCollect(socket, "go");
      expect(end.reason).toBe("completed");
      expect(text).toBe(tokens.join(""));
      const deltas = socket.frames.filter((f) => f.type === "message.delta" && f.messageId === accepted.messageId);
      expect(deltas).toHaveLength(tokens.length);
      socket.close();
    });

    test("two conversations at once both complete with their own replies", async () => {
      const sockets = await Promise.all([0, 1].map(async () => agentd.connect(await agentd.createConversation(token), token)));
      const replies = await Promise.all(sockets.map((socket, i) => sendAndCollect(socket, `parallel ${i}`)));
      expect(replies.map((r) => [r.end.reason, r.text])).toEqual([
        ["completed", "echo: parallel 0"],
        ["completed", "echo: parallel 1"],
      ]);
      for (const socket of sockets) socket.close();
    });
  });
}

describe("workers.concurrency = 1", () => {
  test("a second conversation's message waits for the first reply, then completes", async () => {
    const { agentd, token } = await agentdWith({ threads: 1, concurrency: 1 });
    const first = await agentd.connect(await agentd.createConversation(token), token);
    const second = await agentd.connect(await agentd.createConversation(token), token);
    agentd.model.lockstep.enable();
    first.send({ type: "message.send", clientMessageId: "first", content: "one" });
    const firstAccepted = await first.next("message.accepted");
    await agentd.model.lockstep.waitForSent(0, { request: 0 });
    second.send({ type: "message.send", clientMessageId: "second", content: "two" });
    const secondAccepted = await second.next("message.accepted");
    // Accepted, but not started while the only slot is busy.
    await expectNoRequest(agentd, 1);
    agentd.model.lockstep.disable();
    expect(await replyOf(first, firstAccepted.messageId)).toMatchObject({ text: "echo: one", end: { reason: "completed" } });
    expect(await replyOf(second, secondAccepted.messageId)).toMatchObject({ text: "echo: two", end: { reason: "completed" } });
    expect(agentd.model.chatRequests).toHaveLength(2);
    first.close();
    second.close();
  });
});

describe("one conversation, two messages back to back", () => {
  test("the second runs only after the first reply ended, and sees it in its history", async () => {
    const { agentd, token } = await agentdWith({ threads: 2, concurrency: 8 });
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    agentd.model.lockstep.enable();
    socket.send({ type: "message.send", clientMessageId: "m1", content: "first question" });
    socket.send({ type: "message.send", clientMessageId: "m2", content: "second question" });
    const one = await socket.next("message.accepted");
    const two = await socket.next("message.accepted");
    expect([one.clientMessageId, two.clientMessageId]).toEqual(["m1", "m2"]);
    await agentd.model.lockstep.waitForSent(0, { request: 0 });
    // Free slots exist, yet the same conversation's next turn is held back.
    await expectNoRequest(agentd, 1);
    agentd.model.lockstep.disable();

    expect((await replyOf(socket, one.messageId)).text).toBe("echo: first question");
    expect((await replyOf(socket, two.messageId)).text).toBe("echo: second question");
    const [firstRequest, secondRequest] = agentd.model.chatRequests;
    expect(firstRequest!.finished).toBe(true);
    expect(secondRequest!.receivedAt).toBeGreaterThanOrEqual(firstRequest!.sentAt.at(-1)!);
    const turns = (secondRequest!.body?.messages ?? []).filter((m) => m.role !== "system").map((m) => [m.role, m.content]);
    expect(turns).toEqual([
      ["user", "first question"],
      ["assistant", "echo: first question"],
      ["user", "second question"],
    ]);

    // On the wire every frame of the first reply comes before any of the second.
    const owners = socket.frames.flatMap((f) => (f.type === "message.delta" || f.type === "message.end" ? [f.messageId] : []));
    const lastOfFirst = owners.lastIndexOf(one.messageId);
    expect(lastOfFirst).toBeLessThan(owners.indexOf(two.messageId));

    const stored = (await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as ConversationWithMessages;
    expect(stored.messages.map((m) => m.content)).toEqual([
      "first question",
      "echo: first question",
      "second question",
      "echo: second question",
    ]);
    socket.close();
  });
});
