import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

let agentd: TestAgentd;
beforeAll(async () => {
  agentd = await startTestAgentd({ limits: { projects_per_hour: 1 }, workers: { threads: 0 } });
});
afterAll(() => agentd.close());

const args = (title: string) => ({ title, description: "d", type: "research", tags: [], links: [], showcase: false });

test("created projects count against limits.projects_per_hour; over it the tool reports an error and creates nothing", async () => {
  await agentd.addUser("maker");
  const { token } = await agentd.login("maker");
  const id = await agentd.createConversation(token, { agent: "project" });
  const socket = await agentd.connect(id, token);
  const create = async (callId: string, title: string) => {
    agentd.model.script({ toolCalls: [{ id: callId, name: "create_project", arguments: args(title) }] }, { text: "ok" });
    socket.send({ type: "message.send", clientMessageId: crypto.randomUUID(), content: title });
    await socket.next("tool.confirm");
    socket.send({ type: "tool.approve", toolCallId: callId });
    return socket.next("tool.end");
  };
  expect(await create("call_q1", "First")).toMatchObject({ ok: true });
  const refused = await create("call_q2", "Second");
  expect(refused.ok).toBe(false);
  expect(refused.summary).toContain("limit");
  const { projects } = (await (await agentd.api("/api/projects", { token })).json()) as { projects: { title: string }[] };
  expect(projects.map((p) => p.title)).toEqual(["First"]);
  socket.close();
});
