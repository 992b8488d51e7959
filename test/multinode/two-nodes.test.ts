import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sendAndCollect, TEST_SECRET } from "../helpers/agentd.ts";
import { spawnAgentd, type AgentdProcess } from "../helpers/agentd-process.ts";
import { requirePostgres, requireRedis } from "../helpers/services.ts";
import { openSocket } from "../helpers/ws.ts";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";

// Two agentd processes on one Postgres (own schema) and one Redis (own key prefix), each with its
// own data_dir: what one node writes, the other reads. (A reply computed on another node than the
// client's needs the shared queue, which comes later.)
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
      AGENTD_LLM__BASE_URL: model.url,
      AGENTD_LLM__MODEL: "fixture-model",
      AGENTD_LLM__API_KEY: "test-key",
      AGENTD_LLM__MAX_RETRIES: "0",
      AGENTD_WORKERS__THREADS: "1",
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

test.skipIf(!postgres || !redis)("a node starting later leaves the other nodes' queued and running tasks alone", async () => {
  const tasks = ["queued", "running"].map((state) => ({ id: Bun.randomUUIDv7(), state }));
  for (const task of tasks) {
    await postgres!.sql.unsafe(
      `INSERT INTO "${schema}".tasks (id, conversation_id, user_id, client_message_id, user_message_id, message_id, content, state, created_at, updated_at)
       VALUES ($1, 'live-conversation', 'someone', $1, 'u', 'm', 'in progress on node A', $2, now(), now())`,
      [task.id, task.state],
    );
  }
  const late = await spawnAgentd({ ...nodeEnv("c"), AGENTD_WORKERS__THREADS: "0" });
  try {
    expect(late.output()).toContain("tasks left by a node that stopped are not recovered");
    const rows = await postgres!.sql.unsafe(`SELECT id, state FROM "${schema}".tasks WHERE conversation_id = 'live-conversation' ORDER BY id`);
    expect(rows.map((row) => ({ id: row.id, state: row.state }))).toEqual(tasks);
  } finally {
    expect(await late.stop()).toBe(0);
  }
});
