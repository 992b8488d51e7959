import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ServerMessage } from "../../src/protocol/index.ts";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import type { TestSocket } from "../helpers/ws.ts";

let agentd: TestAgentd;
let alice: { id: string; token: string };
let bob: { id: string; token: string };

const atlas = { title: "Atlas", description: "A map of every library in town.", type: "app", tags: ["maps"], links: ["https://example.org/atlas"], showcase: true };

/** Collects a turn's frames up to its message.end. */
async function turn(socket: TestSocket, messageId: string) {
  const frames: ServerMessage[] = [];
  for (;;) {
    const frame = await socket.nextMatching((f) => "messageId" in f && f.messageId === messageId && f.type !== "message.accepted");
    frames.push(frame);
    if (frame.type === "message.end") return frames;
  }
}
const text = (frames: ServerMessage[]) => frames.flatMap((f) => (f.type === "message.delta" ? [f.text] : [])).join("");
const types = (frames: ServerMessage[]) => frames.filter((f) => f.type !== "message.delta").map((f) => f.type);

async function projectChat(user: { token: string }) {
  const id = await agentd.createConversation(user.token, { agent: "project" });
  return { id, socket: await agentd.connect(id, user.token) };
}

async function send(socket: TestSocket, content: string) {
  socket.send({ type: "message.send", clientMessageId: crypto.randomUUID(), content });
  return turn(socket, (await socket.next("message.accepted")).messageId);
}

async function decide(socket: TestSocket, decision: Record<string, unknown>) {
  socket.send(decision);
  const accepted = await socket.next("message.accepted");
  expect(accepted.clientMessageId).toBe(`tool:${decision.toolCallId}`);
  return turn(socket, accepted.messageId);
}

const listProjects = async (token: string) =>
  ((await (await agentd.api("/api/projects", { token })).json()) as { projects: { id: string; title: string }[] }).projects;

beforeAll(async () => {
  // Main-thread workers: the tools run where coverage is measured; the worker path has its own tests.
  agentd = await startTestAgentd({ workers: { threads: 0 } });
  alice = { id: await agentd.addUser("alice"), token: "" };
  bob = { id: await agentd.addUser("bob"), token: "" };
  alice.token = (await agentd.login("alice")).token;
  bob.token = (await agentd.login("bob")).token;
});
afterAll(() => agentd.close());

describe("the agent registry", () => {
  test("GET /api/agents lists the built-ins with their tools; an unknown agent cannot be chosen", async () => {
    const { agents } = (await (await agentd.api("/api/agents", { token: alice.token })).json()) as { agents: { name: string; tools: string[] }[] };
    expect(agents.map((a) => a.name)).toEqual(["assistant", "project"]);
    expect(agents[1]!.tools).toEqual(["create_project", "update_project", "list_my_projects"]);
    expect((await agentd.api("/api/conversations", { method: "POST", token: alice.token, body: JSON.stringify({ agent: "nope" }) })).status).toBe(400);
  });
});

describe("the project agent", () => {
  test("creates a project only after the member approves, streaming text through the tool turn", async () => {
    const { socket } = await projectChat(alice);
    agentd.model.script(
      { text: "Great, creating Atlas now.", toolCalls: [{ id: "call_create_1", name: "create_project", arguments: atlas }] },
      { text: ["Atlas", " is", " live", " on", " your", " showcase."] },
    );
    const first = await send(socket, "Make a project called Atlas, a map app.");
    expect(types(first)).toEqual(["tool.start", "tool.confirm", "message.end"]);
    expect(text(first)).toBe("Great, creating Atlas now.");
    const confirm = first.find((f) => f.type === "tool.confirm");
    expect(confirm).toMatchObject({ toolCallId: "call_create_1", name: "create_project", args: atlas });
    expect(await listProjects(alice.token)).toEqual([]);

    const second = await decide(socket, { type: "tool.approve", toolCallId: "call_create_1" });
    expect(types(second)).toEqual(["tool.end", "message.end"]);
    expect(second[0]).toMatchObject({ type: "tool.end", toolCallId: "call_create_1", ok: true });
    expect(text(second)).toBe("Atlas is live on your showcase.");
    const projects = await listProjects(alice.token);
    expect(projects.map((p) => p.title)).toEqual(["Atlas"]);
    // The model was told the result of the tool.
    const toolResult = agentd.model.chatRequests.at(-1)!.body!.messages!.find((m) => m.role === "tool");
    expect(String(toolResult?.content)).toContain("Created");

    // Approving again does not create a second project.
    socket.send({ type: "tool.approve", toolCallId: "call_create_1" });
    await socket.next("message.accepted");
    expect(await listProjects(alice.token)).toHaveLength(1);
    socket.close();
  });

  test("a rejection creates nothing, and the agent is told (with the reason) and says so", async () => {
    const before = (await listProjects(alice.token)).length;
    const { socket } = await projectChat(alice);
    agentd.model.script(
      { toolCalls: [{ id: "call_reject_1", name: "create_project", arguments: { ...atlas, title: "Nope" } }] },
      { text: "Understood, nothing was created." },
    );
    await send(socket, "Create Nope");
    const answer = await decide(socket, { type: "tool.reject", toolCallId: "call_reject_1", reason: "wrong title" });
    expect(text(answer)).toBe("Understood, nothing was created.");
    expect(await listProjects(alice.token)).toHaveLength(before);
    const toolResult = agentd.model.chatRequests.at(-1)!.body!.messages!.find((m) => m.role === "tool");
    expect(String(toolResult?.content)).toContain("declined");
    expect(String(toolResult?.content)).toContain("wrong title");
    socket.close();
  });

  test("invalid tool arguments go back to the model as a tool error; the turn completes", async () => {
    const { socket } = await projectChat(alice);
    agentd.model.script(
      { toolCalls: [{ id: "call_bad_1", name: "create_project", arguments: { title: "X", description: "d", type: "spaceship" } }] },
      { text: "Sorry, that type is not allowed." },
    );
    const frames = await send(socket, "make a spaceship project");
    expect(types(frames)).toEqual(["tool.start", "tool.end", "message.end"]);
    expect(frames.find((f) => f.type === "tool.end")).toMatchObject({ ok: false });
    expect(frames.at(-1)).toMatchObject({ reason: "completed" });
    const toolMessage = agentd.model.chatRequests.at(-1)!.body!.messages!.find((m) => m.role === "tool");
    expect(String(toolMessage?.content)).toContain("type");
    socket.close();
  });

  test("update_project changes the member's own project after approval", async () => {
    const [project] = await listProjects(alice.token);
    const { socket } = await projectChat(alice);
    agentd.model.script(
      { toolCalls: [{ id: "call_update_1", name: "update_project", arguments: { project_id: project!.id, tags: ["maps", "libraries"] } }] },
      { text: "Tags updated." },
    );
    const asked = await send(socket, "add the libraries tag");
    expect(asked.find((f) => f.type === "tool.confirm")).toMatchObject({ args: { project_id: project!.id, tags: ["maps", "libraries"] } });
    await decide(socket, { type: "tool.approve", toolCallId: "call_update_1" });
    const updated = (await (await agentd.api(`/api/projects/${project!.id}`, { token: alice.token })).json()) as { tags: string[]; title: string };
    expect(updated).toMatchObject({ title: "Atlas", tags: ["maps", "libraries"] });
    socket.close();
  });

  test("a decision on a tool call that is not pending is refused", async () => {
    const { socket } = await projectChat(alice);
    socket.send({ type: "tool.approve", toolCallId: "call_never" });
    const error = await socket.next("error");
    expect(error).toMatchObject({ code: "bad_request", clientMessageId: "tool:call_never" });
    socket.close();
  });

  test("another member's project can be neither read nor changed, through the tools or the API", async () => {
    const [project] = await listProjects(alice.token);
    expect((await agentd.api(`/api/projects/${project!.id}`, { token: bob.token })).status).toBe(404);
    expect((await agentd.api(`/api/projects/${project!.id}`, { token: alice.token })).status).toBe(200);
    const { socket } = await projectChat(bob);
    agentd.model.script(
      { toolCalls: [{ id: "call_steal_1", name: "update_project", arguments: { project_id: project!.id, title: "Stolen" } }] },
      { text: "I could not find that project." },
    );
    const frames = await send(socket, "rename project");
    expect(frames.find((f) => f.type === "tool.end")).toMatchObject({ ok: false });
    expect(types(frames)).not.toContain("tool.confirm");
    agentd.model.script({ toolCalls: [{ id: "call_list_1", name: "list_my_projects", arguments: {} }] }, { text: "You have none." });
    const listed = await send(socket, "list");
    expect((listed.find((f) => f.type === "tool.end") as { summary: string }).summary).toContain("no projects");
    expect((await listProjects(alice.token))[0]!.title).toBe("Atlas");
    socket.close();
  });

  test("a pending confirmation survives a restart and can be approved afterwards", async () => {
    const { id, socket } = await projectChat(alice);
    agentd.model.script({ toolCalls: [{ id: "call_restart_1", name: "create_project", arguments: { ...atlas, title: "Phoenix" } }] }, { text: "Phoenix created." });
    await send(socket, "create Phoenix");
    socket.close();
    await agentd.restart();
    // A page loaded now learns of the waiting card over HTTP (its tool.confirm is before the resume point).
    const pending = async () =>
      ((await (await agentd.api(`/api/conversations/${id}`, { token: alice.token })).json()) as { pendingConfirmations: unknown[] }).pendingConfirmations;
    expect(await pending()).toEqual([{ toolCallId: "call_restart_1", name: "create_project", args: { ...atlas, title: "Phoenix" } }]);
    const again = await agentd.connect(id, alice.token);
    const frames = await decide(again, { type: "tool.approve", toolCallId: "call_restart_1" });
    expect(await pending()).toEqual([]);
    expect(text(frames)).toBe("Phoenix created.");
    expect((await listProjects(alice.token)).map((p) => p.title)).toContain("Phoenix");
    // History shows each turn as the client saw it.
    const conversation = (await (await agentd.api(`/api/conversations/${id}`, { token: alice.token })).json()) as { messages: { role: string; content: string }[] };
    expect(conversation.messages.map((m) => [m.role, m.content])).toEqual([["user", "create Phoenix"], ["assistant", "Phoenix created."]]);
    again.close();
  });
});
