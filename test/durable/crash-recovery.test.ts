import { afterAll, expect, test, setDefaultTimeout } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConversationWithMessages, SessionReady } from "../../src/protocol/index.ts";
import { startFixtureModel } from "../fixtures/openai-fixture.ts";
import { TEST_SECRET } from "../helpers/agentd.ts";
import { fixtureModelEnv } from "../helpers/binary.ts";
import { initialAdminPassword, startChildAgentd, type ChildAgentd } from "../helpers/child-agentd.ts";
import { applyFrames } from "../helpers/view.ts";
import { openSocket } from "../helpers/ws.ts";

// Real servers and processes: generous limits for a loaded machine.
setDefaultTimeout(30_000);

const dataDir = mkdtempSync(join(tmpdir(), "agentd-crash-"));
const model = await startFixtureModel({ lockstep: true });
const children: ChildAgentd[] = [];
afterAll(async () => {
  await Promise.all(children.map((child) => child.stop().catch(() => undefined)));
  await model.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const env = {
  AGENTD_AUTH__JWT_SECRET: TEST_SECRET,
  ...fixtureModelEnv(model),
  // Short leases so the dead process's task is reaped within a second or two.
  AGENTD_QUEUE__LEASE_MS: "1500",
  AGENTD_QUEUE__HEARTBEAT_MS: "300",
  AGENTD_QUEUE__REAPER_MS: "200",
};

test("kill -9 mid-reply: after a restart the task runs again from its checkpoint and the resuming client shows exactly the new reply, once", async () => {
  model.script({ text: ["The", " first", " attempt", " never", " ends"] }, { text: ["A", " different", " second", " reply"] });
  const first = await startChildAgentd(dataDir, env);
  children.push(first);
  const login = await fetch(`${first.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: initialAdminPassword(dataDir) }),
  });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  const created = await fetch(`${first.url}/api/conversations`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: "{}" });
  const { id } = (await created.json()) as { id: string };

  const socket = openSocket(`${first.url.replace("http", "ws")}/ws/chat/${id}`, auth);
  const ready = (await socket.next("session.ready")) as SessionReady;
  socket.send({ type: "message.send", clientMessageId: "survive-the-crash", content: "tell me something" });
  const accepted = await socket.next("message.accepted");
  await model.lockstep.waitForSent(0);
  await socket.next("message.delta");
  model.lockstep.release();
  await model.lockstep.waitForSent(1);
  await socket.next("message.delta");
  const seen = applyFrames(socket.frames);
  expect(seen.text.get(accepted.messageId)).toBe("The first");

  await first.crash();
  await socket.closed;
  model.lockstep.disable();

  const restartedAt = Date.now();
  const second = await startChildAgentd(dataDir, env);
  children.push(second);
  const resumed = openSocket(`${second.url.replace("http", "ws")}/ws/chat/${id}?lastSeq=${seen.lastSeq}&epoch=${ready.epoch}`, auth);
  await resumed.nextMatching((frame) => frame.type === "message.end" && frame.messageId === accepted.messageId, 15_000);
  const rerun = model.chatRequests[1]!;
  expect(rerun.receivedAt - restartedAt).toBeLessThan(10_000);

  const resumedFrames = resumed.frames;
  expect(resumedFrames[0]).toMatchObject({ type: "session.ready", epoch: ready.epoch, lastSeq: seen.lastSeq });
  expect(resumedFrames.some((frame) => frame.type === "session.reset")).toBe(false);
  expect(resumedFrames.some((frame) => frame.type === "message.reset" && frame.messageId === accepted.messageId)).toBe(true);
  const view = applyFrames(resumedFrames.slice(1), seen);
  expect(view.text.get(accepted.messageId)).toBe("A different second reply");
  expect(view.ends.get(accepted.messageId)).toBe(1);

  // The re-run asked the model with the user message once, and the history holds one turn.
  expect(rerun.body?.messages?.filter((message) => message.role === "user").map((message) => message.content)).toEqual(["tell me something"]);
  const history = (await (await fetch(`${second.url}/api/conversations/${id}`, { headers: auth })).json()) as ConversationWithMessages;
  expect(history.messages.map(({ role, content }) => ({ role, content }))).toEqual([
    { role: "user", content: "tell me something" },
    { role: "assistant", content: "A different second reply" },
  ]);
  expect(history.messages[1]!.id).toBe(accepted.messageId);
  const status = await (await fetch(`${second.url}/api/tasks/${accepted.taskId}`, { headers: auth })).json();
  expect(status).toMatchObject({ state: "succeeded", attempts: 2, error: null });
  resumed.close();
});
