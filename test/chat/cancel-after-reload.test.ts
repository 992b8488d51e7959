import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

let agentd: TestAgentd;
beforeAll(async () => {
  agentd = await startTestAgentd({ workers: { threads: 0 } });
});
afterAll(() => agentd.close());

test("GET /api/conversations/:id lists the replies still running with their taskId, so another page can stop them", async () => {
  await agentd.addUser("rene");
  const { token } = await agentd.login("rene");
  const id = await agentd.createConversation(token);
  const socket = await agentd.connect(id, token);
  agentd.model.lockstep.enable();
  agentd.model.script({ text: ["slow", " reply"] });
  socket.send({ type: "message.send", clientMessageId: "m1", content: "go" });
  const accepted = await socket.next("message.accepted");
  await agentd.model.lockstep.waitForSent(0);
  const running = (await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as { activeReplies: { messageId: string; taskId: string }[] };
  expect(running.activeReplies).toEqual([{ messageId: accepted.messageId, taskId: accepted.taskId }]);
  // A second page (a new socket) stops it with that taskId.
  const other = await agentd.connect(id, token);
  other.send({ type: "message.cancel", taskId: running.activeReplies[0]!.taskId });
  expect((await socket.next("message.end")).reason).toBe("cancelled");
  agentd.model.lockstep.disable();
  const after = (await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as { activeReplies: unknown[] };
  expect(after.activeReplies).toEqual([]);
  socket.close();
  other.close();
});
