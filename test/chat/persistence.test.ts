import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CloseCode, type ConversationPage, type ConversationWithMessages } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

let agentd: TestAgentd;
let token: string;

beforeAll(async () => {
  agentd = await startTestAgentd();
  await agentd.addUser("penny");
  ({ token } = await agentd.login("penny"));
});
afterAll(() => agentd.close());

async function getConversation(id: string): Promise<ConversationWithMessages> {
  const response = await agentd.api(`/api/conversations/${id}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationWithMessages;
}

/** The user and assistant turns the model was sent in chat request `index` (system prompt left out). */
function turnsSentInRequest(index: number) {
  const messages = agentd.model.chatRequests[index]?.body?.messages ?? [];
  return messages.filter((m) => m.role === "user" || m.role === "assistant").map((m) => ({ role: m.role, content: m.content }));
}

describe("after a restart on the same data_dir", () => {
  test("the conversation is whole, listed, and a new message continues it", async () => {
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    const first = await sendAndCollect(socket, "remember the number 42");
    expect(first.text).toBe("echo: remember the number 42");

    await agentd.restart();
    // The open socket is told the server went away (reconnect with backoff), not left hanging.
    expect((await socket.closed).code).toBe(CloseCode.goingAway);

    const stored = await getConversation(id);
    expect(stored.messages.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: "user", content: "remember the number 42" },
      { role: "assistant", content: "echo: remember the number 42" },
    ]);
    expect(stored.messages[1]!.id).toBe(first.accepted.messageId);

    const list = (await (await agentd.api("/api/conversations", { token })).json()) as ConversationPage;
    expect(list.conversations.map((c) => c.id)).toContain(id);

    const requestsBefore = agentd.model.chatRequests.length;
    const again = await agentd.connect(id, token);
    const second = await sendAndCollect(again, "what was the number?");
    expect(second.end.reason).toBe("completed");
    expect(agentd.model.chatRequests.length).toBe(requestsBefore + 1);
    expect(turnsSentInRequest(requestsBefore)).toEqual([
      { role: "user", content: "remember the number 42" },
      { role: "assistant", content: "echo: remember the number 42" },
      { role: "user", content: "what was the number?" },
    ]);

    const after = await getConversation(id);
    expect(after.messages.map((m) => m.content)).toEqual([
      "remember the number 42",
      "echo: remember the number 42",
      "what was the number?",
      "echo: what was the number?",
    ]);
    expect(after.messages[3]!.id).toBe(second.accepted.messageId);
    again.close();
  });

  test("a clientMessageId accepted before the restart is not run again after it", async () => {
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    const first = await sendAndCollect(socket, "only once please", "survives-restart");
    socket.close();

    await agentd.restart();

    const requestsBefore = agentd.model.chatRequests.length;
    const again = await agentd.connect(id, token);
    again.send({ type: "message.send", clientMessageId: "survives-restart", content: "only once please" });
    const accepted = await again.next("message.accepted");
    expect(accepted.taskId).toBe(first.accepted.taskId);
    expect(accepted.messageId).toBe(first.accepted.messageId);
    // A later, different message proves the queue moved on without running the repeat.
    const next = await sendAndCollect(again, "a new one");
    expect(next.text).toBe("echo: a new one");
    expect(agentd.model.chatRequests.length).toBe(requestsBefore + 1);
    expect((await getConversation(id)).messages.map((m) => m.content)).toEqual([
      "only once please",
      "echo: only once please",
      "a new one",
      "echo: a new one",
    ]);
    again.close();
  });

  test("a login from before the restart is still valid (sessions persisted)", async () => {
    await agentd.restart();
    expect((await agentd.api("/api/me", { token })).status).toBe(200);
  });
});
