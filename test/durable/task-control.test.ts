import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import type { ConversationWithMessages, TaskStatus } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { applyFrames } from "../helpers/view.ts";
import type { TestSocket } from "../helpers/ws.ts";

// Real servers and processes: generous limits for a loaded machine.
setDefaultTimeout(30_000);

const started: TestAgentd[] = [];
async function agentdWith(overrides: Parameters<typeof startTestAgentd>[0] = {}) {
  const agentd = await startTestAgentd(overrides);
  started.push(agentd);
  await agentd.addUser("carl");
  await agentd.addUser("root", undefined, "admin");
  const { token } = await agentd.login("carl");
  const id = await agentd.createConversation(token);
  const socket = await agentd.connect(id, token);
  return { agentd, token, id, socket };
}
afterAll(() => Promise.all(started.map((agentd) => agentd.close())));

async function history(agentd: TestAgentd, token: string, id: string) {
  return ((await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as ConversationWithMessages).messages;
}

async function endOf(socket: TestSocket, messageId: string) {
  return socket.nextMatching((frame) => frame.type === "message.end" && frame.messageId === messageId) as Promise<Extract<typeof socket.frames[number], { type: "message.end" }>>;
}

describe("cancel", () => {
  let env: Awaited<ReturnType<typeof agentdWith>>;
  beforeAll(async () => {
    env = await agentdWith();
  });

  test("aborts the model request before its next token; the turn ends cancelled; the partial text stays in history, marked", async () => {
    const { agentd, socket, token, id } = env;
    agentd.model.lockstep.enable();
    agentd.model.script({ text: ["Partial", " answer", " that", " is", " cut"] });
    socket.send({ type: "message.send", clientMessageId: "to-cancel", content: "long answer please" });
    const accepted = await socket.next("message.accepted");
    await agentd.model.lockstep.waitForSent(1 - 1);
    agentd.model.lockstep.release();
    await agentd.model.lockstep.waitForSent(1);
    // Both tokens shown (as one delta when they reach the worker thread in one turn), then cancel.
    while (applyFrames(socket.frames).text.get(accepted.messageId) !== "Partial answer") await socket.next("message.delta");
    socket.send({ type: "message.cancel", taskId: accepted.taskId });
    const aborted = await agentd.model.waitForAbort();
    expect(aborted.abortedAtToken).toBe(2);
    const end = await endOf(socket, accepted.messageId);
    expect(end.reason).toBe("cancelled");
    agentd.model.lockstep.disable();
    expect(applyFrames(socket.frames).text.get(accepted.messageId)).toBe("Partial answer");
    expect(await history(agentd, token, id)).toEqual([
      expect.objectContaining({ role: "user", content: "long answer please" }),
      { id: accepted.messageId, role: "assistant", content: "Partial answer", status: "cancelled" },
    ]);
    const status = (await (await agentd.api(`/api/tasks/${accepted.taskId}`, { token })).json()) as TaskStatus;
    expect(status).toMatchObject({ state: "cancelled", attempts: 1 });
    // The conversation goes on, and the next turn sees the partial reply.
    const next = await sendAndCollect(socket, "and now?");
    expect(next.end.reason).toBe("completed");
  });

  test("a message still waiting in the queue is cancelled without ever reaching the model", async () => {
    const { agentd, socket } = env;
    agentd.model.lockstep.enable();
    const before = agentd.model.chatRequests.length;
    socket.send({ type: "message.send", clientMessageId: "running", content: "first" });
    const running = await socket.next("message.accepted");
    await agentd.model.lockstep.waitForSent(0);
    socket.send({ type: "message.send", clientMessageId: "waiting", content: "second" });
    const waiting = await socket.next("message.accepted");
    socket.send({ type: "message.cancel", taskId: waiting.taskId });
    expect((await endOf(socket, waiting.messageId)).reason).toBe("cancelled");
    agentd.model.lockstep.disable();
    expect((await endOf(socket, running.messageId)).reason).toBe("completed");
    expect(agentd.model.chatRequests.length).toBe(before + 1);
    socket.send({ type: "message.cancel", taskId: running.taskId }); // already ended: nothing happens
    socket.send({ type: "ping" });
    await socket.next("pong");
    expect(socket.frames.filter((frame) => frame.type === "message.end" && frame.messageId === running.messageId)).toHaveLength(1);
  });

  test("a task of another conversation cannot be cancelled: not_found, the socket stays usable", async () => {
    const { agentd, token, socket } = env;
    const other = await agentd.connect(await agentd.createConversation(token), token);
    const { accepted } = await sendAndCollect(other, "mine");
    socket.send({ type: "message.cancel", taskId: accepted.taskId });
    expect(await socket.next("error")).toMatchObject({ code: "not_found" });
    socket.send({ type: "message.cancel", taskId: "no-such-task" });
    expect(await socket.next("error")).toMatchObject({ code: "not_found" });
    other.close();
  });
});

describe("double-texting", () => {
  test("enqueue (default): the second message is answered after the first", async () => {
    const { agentd, socket } = await agentdWith();
    agentd.model.lockstep.enable();
    socket.send({ type: "message.send", clientMessageId: "a", content: "first" });
    const first = await socket.next("message.accepted");
    await agentd.model.lockstep.waitForSent(0);
    socket.send({ type: "message.send", clientMessageId: "b", content: "second" });
    const second = await socket.next("message.accepted");
    agentd.model.lockstep.disable();
    expect((await endOf(socket, first.messageId)).reason).toBe("completed");
    expect((await endOf(socket, second.messageId)).reason).toBe("completed");
    const view = applyFrames(socket.frames);
    expect([view.text.get(first.messageId), view.text.get(second.messageId)]).toEqual(["echo: first", "echo: second"]);
  });

  test("reject: conversation_busy while a reply runs; the repeat of the running message is still acknowledged", async () => {
    const { agentd, socket } = await agentdWith({ queue: { double_texting: "reject" } });
    agentd.model.lockstep.enable();
    socket.send({ type: "message.send", clientMessageId: "a", content: "first" });
    const first = await socket.next("message.accepted");
    await agentd.model.lockstep.waitForSent(0);
    socket.send({ type: "message.send", clientMessageId: "b", content: "second" });
    expect(await socket.next("error")).toMatchObject({ code: "conversation_busy", retryable: true, clientMessageId: "b" });
    socket.send({ type: "message.send", clientMessageId: "a", content: "first" });
    expect((await socket.next("message.accepted")).taskId).toBe(first.taskId);
    agentd.model.lockstep.disable();
    await endOf(socket, first.messageId);
    const later = await sendAndCollect(socket, "third");
    expect(later.end.reason).toBe("completed");
  });

  test("interrupt: the running reply is cancelled, then the new message is answered", async () => {
    const { agentd, socket, token, id } = await agentdWith({ queue: { double_texting: "interrupt" } });
    agentd.model.lockstep.enable();
    agentd.model.script({ text: ["Never", " finished", " reply"] });
    socket.send({ type: "message.send", clientMessageId: "a", content: "first" });
    const first = await socket.next("message.accepted");
    await agentd.model.lockstep.waitForSent(0);
    await socket.next("message.delta");
    socket.send({ type: "message.send", clientMessageId: "b", content: "second" });
    const second = await socket.next("message.accepted");
    await agentd.model.waitForAbort({ request: 0 });
    expect((await endOf(socket, first.messageId)).reason).toBe("cancelled");
    agentd.model.lockstep.disable();
    expect((await endOf(socket, second.messageId)).reason).toBe("completed");
    expect((await history(agentd, token, id)).map((m) => [m.content, m.status])).toEqual([
      ["first", undefined],
      ["Never", "cancelled"],
      ["second", undefined],
      ["echo: second", undefined],
    ]);
  });
});

describe("timeouts", () => {
  test("soft timeout: the model call is aborted and the turn ends with reason timeout, partial text kept", async () => {
    const { agentd, socket, token, id } = await agentdWith({ queue: { soft_timeout_ms: 1_500 } });
    agentd.model.script({ text: ["Slow", " model", " here"], gapMs: 10_000 });
    socket.send({ type: "message.send", clientMessageId: "slow", content: "take your time" });
    const accepted = await socket.next("message.accepted");
    await socket.next("message.delta");
    expect((await endOf(socket, accepted.messageId)).reason).toBe("timeout");
    expect((await agentd.model.waitForAbort({ request: 0 })).aborted).toBe(true);
    expect((await history(agentd, token, id)).at(-1)).toMatchObject({ content: "Slow", status: "timeout" });
    const status = (await (await agentd.api(`/api/tasks/${accepted.taskId}`, { token })).json()) as TaskStatus;
    expect(status).toMatchObject({ state: "failed", error: { code: "task_timeout" } });
  });

  test("hard timeout: the task is abandoned, marked failed, the turn ends failed and the client drops the partial text", async () => {
    const { agentd, socket, token } = await agentdWith({ queue: { soft_timeout_ms: 60_000, hard_timeout_ms: 300 } });
    agentd.model.script({ text: ["Stuck", " forever"], gapMs: 5_000 });
    socket.send({ type: "message.send", clientMessageId: "stuck", content: "hang" });
    const accepted = await socket.next("message.accepted");
    const end = await endOf(socket, accepted.messageId);
    expect(end).toMatchObject({ reason: "failed", error: { code: "task_timeout" } });
    expect(applyFrames(socket.frames).text.get(accepted.messageId)).toBe("");
    const status = (await (await agentd.api(`/api/tasks/${accepted.taskId}`, { token })).json()) as TaskStatus;
    expect(status.state).toBe("failed");
    // The conversation is usable again.
    expect((await sendAndCollect(socket, "next")).end.reason).toBe("completed");
  });
});

describe("retries", () => {
  test("a 429 then success: one reply, no text shown twice, two attempts", async () => {
    const { agentd, socket, token } = await agentdWith();
    agentd.model.script({ error: { status: 429, retryAfterSeconds: 0 } }, { text: ["Worked", " the", " second", " time"] });
    const { accepted, end } = await sendAndCollect(socket, "retry me");
    expect(end.reason).toBe("completed");
    expect(applyFrames(socket.frames).text.get(accepted.messageId)).toBe("Worked the second time");
    expect(agentd.model.chatRequests).toHaveLength(2);
    expect(((await (await agentd.api(`/api/tasks/${accepted.taskId}`, { token })).json()) as TaskStatus).attempts).toBe(2);
  });

  test("a stream cut mid-reply is retried; the retry starts with message.reset", async () => {
    const { agentd, socket } = await agentdWith();
    agentd.model.script({ text: ["Cut", " off", " here"], disconnectAfterTokens: 2 }, { text: ["Whole", " reply"] });
    const { accepted } = await sendAndCollect(socket, "flaky");
    const ours = socket.frames.filter((frame) => "messageId" in frame && frame.messageId === accepted.messageId);
    // Tokens that reach the worker thread in one turn cross as one delta: runs of deltas count once.
    const types = ours.map((frame) => frame.type).filter((type, i, all) => type !== "message.delta" || all[i - 1] !== "message.delta");
    expect(types).toEqual(["message.accepted", "message.delta", "message.reset", "message.delta", "message.end"]);
    expect(applyFrames(socket.frames).text.get(accepted.messageId)).toBe("Whole reply");
  });

  test("a 400 is not retried; retries exhausted keep the task as failed; an admin lists and retries it", async () => {
    const { agentd, socket, token } = await agentdWith({ queue: { max_retries: 1 } });
    agentd.model.script({ error: { status: 400, message: "bad" } });
    const refused = await sendAndCollect(socket, "refused");
    expect(refused.end.reason).toBe("failed");
    expect(agentd.model.chatRequests).toHaveLength(1);

    agentd.model.script({ error: { status: 503 } }, { error: { status: 503 } });
    const failed = await sendAndCollect(socket, "unlucky");
    expect(failed.end).toMatchObject({ reason: "failed", error: { code: "model_error", retryable: true } });
    expect(agentd.model.chatRequests).toHaveLength(3);

    const { token: adminToken } = await agentd.login("root");
    expect((await agentd.api("/api/admin/tasks?state=failed", { token })).status).toBe(403);
    const list = (await (await agentd.api("/api/admin/tasks?state=failed", { token: adminToken })).json()) as { tasks: (TaskStatus & { content: string })[] };
    expect(list.tasks.map((task) => [task.id, task.content, task.error?.code])).toEqual([
      [refused.accepted.taskId, "refused", "model_error"],
      [failed.accepted.taskId, "unlucky", "model_error"],
    ]);
    expect((await agentd.api(`/api/admin/tasks/${refused.accepted.taskId}/retry`, { method: "POST", token: adminToken })).status).toBe(409);
    expect((await agentd.api("/api/admin/tasks?state=bogus", { token: adminToken })).status).toBe(400);
    const retried = await agentd.api(`/api/admin/tasks/${failed.accepted.taskId}/retry`, { method: "POST", token: adminToken });
    expect(retried.status).toBe(202);
    const end = await endOf(socket, failed.accepted.messageId);
    expect(end.reason).toBe("completed");
    const status = (await (await agentd.api(`/api/tasks/${failed.accepted.taskId}`, { token })).json()) as TaskStatus;
    expect(status).toMatchObject({ state: "succeeded", error: null });
    expect((await agentd.api(`/api/tasks/${failed.accepted.taskId}`, { token: adminToken })).status).toBe(404);
    expect((await agentd.api(`/api/admin/tasks/nope/retry`, { method: "POST", token: adminToken })).status).toBe(404);
  });
});
