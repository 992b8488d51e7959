import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

let agentd: TestAgentd;
let token: string;

beforeAll(async () => {
  agentd = await startTestAgentd({ queue: { max_retries: 0 } });
  await agentd.addUser("alice");
  ({ token } = await agentd.login("alice"));
});
afterAll(() => agentd.close());

describe("chat over WebSocket", () => {
  test("a reply streams token by token: delta k reaches the client before the model sends token k+1", async () => {
    const tokens = ["Hello", " there", ",", " how", " can", " I", " help", "?"];
    agentd.model.lockstep.enable();
    agentd.model.script({ text: tokens });
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    socket.send({ type: "message.send", clientMessageId: "c1", content: "hi" });
    const accepted = await socket.next("message.accepted");
    expect(accepted.clientMessageId).toBe("c1");
    let text = "";
    for (let k = 0; k < tokens.length; k++) {
      await agentd.model.lockstep.waitForSent(k);
      const delta = await socket.next("message.delta");
      // The model has not been allowed to send token k+1 yet, so this delta cannot come from a buffered reply.
      expect(agentd.model.chatRequests[0]!.sentTokens).toBe(k + 1);
      expect(delta.messageId).toBe(accepted.messageId);
      text += delta.text;
      agentd.model.lockstep.release();
    }
    const end = await socket.next("message.end");
    expect(end.reason).toBe("completed");
    expect(text).toBe(tokens.join(""));
    agentd.model.lockstep.disable();
    socket.close();
  });
});

describe("idempotent send", () => {
  test("the same clientMessageId sent twice runs once and is acknowledged twice with the same task", async () => {
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    const before = agentd.model.chatRequests.length;
    const first = await sendAndCollect(socket, "count me once", "same-id");
    socket.send({ type: "message.send", clientMessageId: "same-id", content: "count me once" });
    const again = await socket.next("message.accepted");
    expect(again.taskId).toBe(first.accepted.taskId);
    expect(again.messageId).toBe(first.accepted.messageId);
    // A later, different message proves the queue moved on without running the repeat.
    await sendAndCollect(socket, "next one", "other-id");
    expect(agentd.model.chatRequests.length - before).toBe(2);
    const history = (await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as { messages: { role: string }[] };
    expect(history.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    socket.close();
  });

  test("a repeat on a new socket (a reconnect) is not run again either", async () => {
    const id = await agentd.createConversation(token);
    const one = await agentd.connect(id, token);
    const first = await sendAndCollect(one, "hello", "retry-after-reconnect");
    one.close();
    const two = await agentd.connect(id, token);
    const before = agentd.model.chatRequests.length;
    two.send({ type: "message.send", clientMessageId: "retry-after-reconnect", content: "hello" });
    expect((await two.next("message.accepted")).taskId).toBe(first.accepted.taskId);
    two.send({ type: "ping" });
    await two.next("pong");
    expect(agentd.model.chatRequests.length).toBe(before);
    two.close();
  });
});

describe("conversation events", () => {
  test("every socket on the conversation receives the reply, seqs consecutive, one end per message", async () => {
    const id = await agentd.createConversation(token);
    const a = await agentd.connect(id, token);
    const b = await agentd.connect(id, token);
    const { accepted } = await sendAndCollect(a, "to both");
    const end = await b.nextMatching((f) => f.type === "message.end" && f.messageId === accepted.messageId);
    const seqs = b.frames.filter((f) => f.type === "message.delta" || f.type === "message.end").map((f) => (f as { seq: number }).seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(b.frames.filter((f) => f.type === "message.end").length).toBe(1);
    expect(end.type).toBe("message.end");
    const c = await agentd.connect(id, token);
    const ready = c.frames[0];
    expect(ready?.type === "session.ready" && ready.lastSeq).toBe(seqs.at(-1)!);
    for (const s of [a, b, c]) s.close();
  });

  test("usage reported by the provider reaches message.end", async () => {
    agentd.model.script({ text: ["a", "b"], usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 } });
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    const { end } = await sendAndCollect(socket, "usage please");
    expect(end.usage).toEqual({ inputTokens: 11, outputTokens: 2, totalTokens: 13 });
    socket.close();
  });

  test("a model failure ends the turn with reason failed and a clear error; the socket keeps working", async () => {
    agentd.model.script({ error: { status: 500, message: "upstream broke" } });
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    const failed = await sendAndCollect(socket, "this fails");
    expect(failed.end.reason).toBe("failed");
    expect(failed.end.error?.code).toBe("model_error");
    expect(failed.end.error?.message).toContain("500");
    const ok = await sendAndCollect(socket, "this works");
    expect(ok.end.reason).toBe("completed");
    expect(ok.text.length).toBeGreaterThan(0);
    socket.close();
  });

  test("a mid-stream disconnect of the model ends the turn once, as failed", async () => {
    agentd.model.script({ text: ["one", " two", " three"], disconnectAfterTokens: 2 });
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    const result = await sendAndCollect(socket, "cut me off");
    expect(result.end.reason).toBe("failed");
    socket.send({ type: "ping" });
    await socket.next("pong");
    expect(socket.frames.filter((f) => f.type === "message.end").length).toBe(1);
    socket.close();
  });
});
