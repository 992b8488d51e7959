import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import type { ConversationWithMessages, SessionReady } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { startPrivateRedis, type PrivateRedis } from "../helpers/private-redis.ts";
import { requirePostgres, requireRedis } from "../helpers/services.ts";
import { applyFrames } from "../helpers/view.ts";
import { openSocket } from "../helpers/ws.ts";

// Redis goes away under a node and comes back (a private redis-server the test kills and starts;
// the shared one is never touched): /readyz says not ready meanwhile, work is refused with a
// retryable redis_unavailable, the node reconnects by itself, and what Postgres accepted runs.
setDefaultTimeout(30_000);
const postgres = await requirePostgres();
const shared = await requireRedis(); // the same skip/fail rule as every Redis suite
const servers: PrivateRedis[] = [];
const nodes: TestAgentd[] = [];
afterAll(async () => {
  for (const node of nodes) await node.close();
  for (const server of servers) await server.stop();
  await postgres?.close();
  await shared?.cleanup();
});

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

async function nodeOn(settings: string[]) {
  const redis = (await startPrivateRedis(settings, { tcp: true }))!;
  servers.push(redis);
  const agentd = await startTestAgentd({
    postgres: { url: postgres!.url, schema: await postgres!.createSchema(), pool_max: 3 },
    redis: { url: redis.url!, key_prefix: "restart:" },
    workers: { threads: 0 },
    // No message limit: a send during the outage gets as far as the queue (the limiter would refuse it first).
    limits: { messages_per_hour: 0 },
    queue: { reconcile_ms: 300, lease_ms: 1500, heartbeat_ms: 300, reaper_ms: 200 },
  });
  nodes.push(agentd);
  await agentd.addUser("rita");
  return { redis, agentd };
}

const readiness = async (agentd: TestAgentd) => {
  const response = await agentd.api("/readyz");
  return { status: response.status, redis: ((await response.json()) as { checks: Record<string, { ok: boolean }> }).checks.redis };
};

test.skipIf(!postgres || !shared)(
  "Redis restarts empty: not ready meanwhile, a send is refused but kept, then the node reconnects, the live socket is sent to resume, and the kept message is answered",
  async () => {
    const { redis, agentd } = await nodeOn([]);
    const { token } = await agentd.login("rita");
    const id = await agentd.createConversation(token);
    const socket = openSocket(agentd.wsUrl(id), { authorization: `Bearer ${token}` });
    const ready = (await socket.next("session.ready")) as SessionReady;
    agentd.model.script({ text: ["before"] });
    expect((await sendAndCollect(socket, "first")).text).toBe("before");

    await redis.kill();
    await until("/readyz to say redis is down", async () => (await readiness(agentd)).status === 503);
    expect((await readiness(agentd)).redis?.ok).toBe(false);
    // Stored in Postgres, but the queue cannot take it: a retryable error now, and the reply later.
    socket.send({ type: "message.send", clientMessageId: "during", content: "while Redis is away" });
    expect(await socket.next("error")).toMatchObject({ code: "redis_unavailable", retryable: true, clientMessageId: "during" });
    // A new socket cannot be admitted (its caps live in Redis): it is closed with 1013, try again later.
    const refused = openSocket(agentd.wsUrl(id), { authorization: `Bearer ${token}` });
    expect(await refused.closed).toEqual({ code: 1013, reason: "the server cannot take connections right now; retry shortly" });

    agentd.model.script({ text: ["answered ", "after ", "all"] });
    await redis.start();
    await until("/readyz to be ready again", async () => (await readiness(agentd)).status === 200);
    // The reconciler queues the stored task; its events start a new history (the old one is gone),
    // so the live socket is closed with 1013 and its client resumes.
    expect((await socket.closed).code).toBe(1013);
    const seen = applyFrames(socket.frames);
    const resumed = openSocket(agentd.wsUrl(id, `lastSeq=${seen.lastSeq}&epoch=${ready.epoch}`), { authorization: `Bearer ${token}` });
    const resumedReady = (await resumed.next("session.ready")) as SessionReady;
    expect(resumedReady.epoch).not.toBe(ready.epoch);
    await resumed.next("session.reset");
    await until("the kept message to be answered", async () => {
      const history = (await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as ConversationWithMessages;
      return history.messages.length === 4;
    });
    const history = (await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as ConversationWithMessages;
    expect(history.messages.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: "user", content: "first" },
      { role: "assistant", content: "before" },
      { role: "user", content: "while Redis is away" },
      { role: "assistant", content: "answered after all" },
    ]);
    // The same message sent again is the same task, not a second one.
    resumed.send({ type: "message.send", clientMessageId: "during", content: "while Redis is away" });
    expect((await resumed.next("message.accepted")).clientMessageId).toBe("during");
    expect(agentd.model.chatRequests).toHaveLength(2);
    resumed.close();
  },
);

test.skipIf(!postgres || !shared)("Redis with an append-only file restarts with its data: a client resumes in the same history", async () => {
  const { redis, agentd } = await nodeOn(["--appendonly", "yes", "--appendfsync", "always"]);
  const { token } = await agentd.login("rita");
  const id = await agentd.createConversation(token);
  const socket = openSocket(agentd.wsUrl(id), { authorization: `Bearer ${token}` });
  const ready = (await socket.next("session.ready")) as SessionReady;
  agentd.model.script({ text: ["kept"] });
  expect((await sendAndCollect(socket, "remember this")).text).toBe("kept");
  const seen = applyFrames(socket.frames);
  socket.close();

  await redis.kill();
  await redis.start();
  await until("/readyz to be ready again", async () => (await readiness(agentd)).status === 200);
  const resumed = openSocket(agentd.wsUrl(id, `lastSeq=${seen.lastSeq - 2}&epoch=${ready.epoch}`), { authorization: `Bearer ${token}` });
  const resumedReady = (await resumed.next("session.ready")) as SessionReady;
  expect(resumedReady).toMatchObject({ epoch: ready.epoch, lastSeq: seen.lastSeq - 2 });
  // The last two events come again from the log; no reset.
  await resumed.nextMatching((frame) => frame.type === "message.end");
  expect(resumed.frames.some((frame) => frame.type === "session.reset")).toBe(false);
  resumed.close();
});
