import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sendAndCollect, TEST_SECRET } from "../helpers/agentd.ts";
import { spawnAgentd, type AgentdProcess } from "../helpers/agentd-process.ts";
import { fixtureModelEnv } from "../helpers/binary.ts";
import { requirePostgres, requireRedis } from "../helpers/services.ts";
import { openSocket } from "../helpers/ws.ts";
import { RedisPubSub } from "../../src/pubsub/redis.ts";
import { RedisTaskQueue } from "../../src/queue/redis.ts";
import { ENQUEUE, TAKE } from "../../src/queue/redis-scripts.ts";
import { createRedisClient, parseRedisUrl } from "../../src/redis/connection.ts";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";

// Two agentd processes on one Postgres (own schema) and one Redis (own key prefix), each with its
// own data_dir: what one node writes, the other reads. (The cluster test, test/multinode/cluster.test.ts,
// runs three nodes through replies computed on another node, failover and global limits.)
const postgres = await requirePostgres();
const redis = await requireRedis();
const projectRoot = join(import.meta.dir, "..", "..");
const PASSWORD = "two nodes share one database";

let model: FixtureModel;
let nodes: AgentdProcess[] = [];
let directories: string[] = [];
let schema: string;
let nodeEnv: (name: string) => Record<string, string>;

beforeAll(async () => {
  if (!postgres || !redis) return;
  model = await startFixtureModel();
  schema = await postgres.createSchema();
  const env = (nodeEnv = (name: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), `agentd-node-${name}-`));
    directories.push(dataDir);
    return {
      AGENTD_DATA_DIR: dataDir,
      AGENTD_POSTGRES__URL: postgres.url,
      AGENTD_POSTGRES__SCHEMA: schema,
      AGENTD_POSTGRES__POOL_MAX: "4",
      AGENTD_REDIS__URL: redis.url,
      AGENTD_REDIS__KEY_PREFIX: redis.prefix,
      AGENTD_AUTH__JWT_SECRET: TEST_SECRET,
      ...fixtureModelEnv(model),
    };
  });
  // Both start at once on an empty schema: migrations and the first admin account race.
  nodes = await Promise.all([spawnAgentd(env("a")), spawnAgentd(env("b"))]);
  const add = Bun.spawn([process.execPath, "src/main.ts", "user", "add", "alice", "--password-stdin"], {
    cwd: projectRoot,
    env: { ...process.env, ...env("cli") },
    stdin: new TextEncoder().encode(`${PASSWORD}\n`),
    stdout: "pipe",
    stderr: "pipe",
  });
  if ((await add.exited) !== 0) throw new Error(`user add failed: ${await new Response(add.stderr).text()}`);
}, 60_000);

afterAll(async () => {
  const codes = await Promise.all(nodes.map((node) => node.stop()));
  expect(codes).toEqual(nodes.map(() => 0));
  await model?.close();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  await postgres?.close();
  await redis?.cleanup();
});

const cookieHeader = (setCookies: string[]) => setCookies.map((cookie) => cookie.split(";")[0]).join("; ");

async function login(node: AgentdProcess) {
  const response = await fetch(`${node.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "alice", password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  return { token: ((await response.json()) as { token: string }).token, cookies: response.headers.getSetCookie() };
}

const api = (node: AgentdProcess, path: string, token: string, init: RequestInit = {}) =>
  fetch(`${node.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers } });

test.skipIf(!postgres || !redis)("both nodes are ready, report Postgres and Redis, and there is exactly one first admin", async () => {
  for (const node of nodes) {
    const response = await fetch(`${node.url}/readyz`);
    const body = (await response.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    expect(body.checks).toMatchObject({ storage: { ok: true }, checkpoints: { ok: true }, redis: { ok: true } });
    expect(response.status).toBe(200);
  }
  const admins = await postgres!.sql.unsafe(`SELECT username FROM "${schema}".users WHERE role = 'admin'`);
  expect(admins.map((row) => row.username)).toEqual(["admin"]);
});

test.skipIf(!postgres || !redis)("a user created by the CLI logs in on either node; a conversation made on A is listed and read on B", async () => {
  const [a, b] = nodes as [AgentdProcess, AgentdProcess];
  const onA = await login(a);
  const onB = await login(b);
  const created = await api(a, "/api/conversations", onA.token, { method: "POST", body: JSON.stringify({ title: "made on A" }) });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const listed = (await (await api(b, "/api/conversations", onB.token)).json()) as { conversations: { id: string; title: string }[] };
  expect(listed.conversations).toContainEqual(expect.objectContaining({ id, title: "made on A" }));
  // A's token is good on B: one secret, sessions in Postgres.
  expect((await api(b, `/api/conversations/${id}`, onA.token)).status).toBe(200);
});

test.skipIf(!postgres || !redis)("a reply written on B is history on A: checkpoints live in Postgres", async () => {
  const [a, b] = nodes as [AgentdProcess, AgentdProcess];
  const { token } = await login(a);
  const id = ((await (await api(a, "/api/conversations", token, { method: "POST", body: "{}" })).json()) as { id: string }).id;
  model.script({ text: ["Hello ", "from ", "node B"] });
  const socket = openSocket(`${b.url.replace("http", "ws")}/ws/chat/${id}`, { authorization: `Bearer ${token}` });
  await socket.next("session.ready");
  const { text, end } = await sendAndCollect(socket, "hi there");
  socket.close();
  expect(end.reason).toBe("completed");
  expect(text).toBe("Hello from node B");
  const read = (await (await api(a, `/api/conversations/${id}`, token)).json()) as { messages: { role: string; content: string }[] };
  expect(read.messages.map(({ role, content }) => ({ role, content }))).toEqual([
    { role: "user", content: "hi there" },
    { role: "assistant", content: "Hello from node B" },
  ]);
  // Deleted on B: gone on A, history included.
  expect((await api(b, `/api/conversations/${id}`, token, { method: "DELETE" })).status).toBe(204);
  expect((await api(a, `/api/conversations/${id}`, token)).status).toBe(404);
});

test.skipIf(!postgres || !redis)("a refresh cookie rotated on A and replayed on B ends the login on both", async () => {
  const [a, b] = nodes as [AgentdProcess, AgentdProcess];
  const first = await login(a);
  const rotated = await fetch(`${b.url}/api/auth/refresh`, { method: "POST", headers: { cookie: cookieHeader(first.cookies) } });
  expect(rotated.status).toBe(200);
  const newToken = ((await rotated.json()) as { token: string }).token;
  expect((await api(a, "/api/me", newToken)).status).toBe(200);
  const replay = await fetch(`${a.url}/api/auth/refresh`, { method: "POST", headers: { cookie: cookieHeader(first.cookies) } });
  expect(replay.status).toBe(401);
  expect((await api(b, "/api/me", newToken)).status).toBe(401);
});

test.skipIf(!postgres || !redis)("a starting node leaves tasks leased on the shared queue alone and queues again those the queue lost", async () => {
  const [a] = nodes as [AgentdProcess];
  const { token } = await login(a);
  const conversation = async () => ((await (await api(a, "/api/conversations", token, { method: "POST", body: "{}" })).json()) as { id: string }).id;
  const [liveConversation, lostConversation] = [await conversation(), await conversation()];
  const userId = ((await (await api(a, "/api/me", token)).json()) as { id: string }).id;
  const insert = (id: string, conversationId: string, state: string, content: string) =>
    postgres!.sql.unsafe(
      `INSERT INTO "${schema}".tasks (id, conversation_id, user_id, client_message_id, user_message_id, message_id, content, state, created_at, updated_at)
       VALUES ($1, $2, $3, $1, $4, $5, $6, $7, now(), now())`,
      [id, conversationId, userId, Bun.randomUUIDv7(), Bun.randomUUIDv7(), content, state],
    );
  // A live node's running task: in Postgres and leased on the shared queue.
  const live = Bun.randomUUIDv7();
  await insert(live, liveConversation, "running", "in progress on a live node");
  const target = parseRedisUrl(redis!.url);
  const client = createRedisClient(target);
  const pubsub = new RedisPubSub({ connect: () => createRedisClient(target), prefix: redis!.prefix });
  const queue = await RedisTaskQueue.open({ client, prefix: redis!.prefix, leaseMs: 60_000, pubsub });
  // Enqueued and leased in one MULTI, so the running nodes cannot take it first.
  const base = `${redis!.prefix}{queue}:`;
  const keys = ["seq", "pending", "ready", "leases", "size"].map((name) => base + name);
  const payload = JSON.stringify({ taskId: live, conversationId: liveConversation, userId, agent: "assistant", userMessageId: "u", messageId: "m", content: "x" });
  const [, taken] = (await redis!.client
    .multi()
    .eval(ENQUEUE, keys.length, ...keys, base, live, liveConversation, payload, 0)
    .eval(TAKE, keys.length, ...keys, base, "a-live-node", 60_000)
    .exec())!;
  expect(taken?.[1]).toEqual([payload, 1]);
  // An accepted task the queue lost (Redis restarted without its data): in Postgres only.
  const lost = Bun.randomUUIDv7();
  model.script({ text: ["found ", "again"] });
  await insert(lost, lostConversation, "queued", "answer me after all");

  const late = await spawnAgentd({ ...nodeEnv("c"), AGENTD_WORKERS__THREADS: "0" });
  try {
    const state = async (id: string) => (await postgres!.sql.unsafe(`SELECT state FROM "${schema}".tasks WHERE id = $1`, [id]))[0]?.state;
    const deadline = Date.now() + 10_000;
    while ((await state(lost)) !== "succeeded" && Date.now() < deadline) await Bun.sleep(50);
    expect(await state(lost)).toBe("succeeded");
    const history = (await (await api(a, `/api/conversations/${lostConversation}`, token)).json()) as { messages: { role: string; content: string }[] };
    expect(history.messages.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: "user", content: "answer me after all" },
      { role: "assistant", content: "found again" },
    ]);
    // The live node's task is untouched: still running, still its lease.
    expect(await state(live)).toBe("running");
    expect(await queue.renew("a-live-node", [live])).toEqual([]);
    expect(await queue.ack(live, "a-live-node")).toBe(true);
  } finally {
    expect(await late.stop()).toBe(0);
    await queue.close();
    await pubsub.close();
    client.disconnect();
  }
});
