import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConversationWithMessages, ServerMessage, SessionReady } from "../../src/protocol/index.ts";
import { lastUserText, startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { TEST_SECRET } from "../helpers/agentd.ts";
import { spawnAgentd, type AgentdProcess } from "../helpers/agentd-process.ts";
import { fixtureModelEnv } from "../helpers/binary.ts";
import { requirePostgres, requireRedis } from "../helpers/services.ts";
import { applyFrames } from "../helpers/view.ts";
import { openSocket, type TestSocket } from "../helpers/ws.ts";

// Three agentd processes on one Postgres (own schema) and one Redis (own key prefix): any node
// takes any task from the shared queue, events cross nodes on pub/sub and the event log, and a
// node killed mid-reply has its task finished by another. Each node names its model differently
// (fixture-model-a/b/c), so the fixture's records say which node computed a reply.
setDefaultTimeout(60_000);
const postgres = await requirePostgres();
const redis = await requireRedis();
const projectRoot = join(import.meta.dir, "..", "..");
const PASSWORD = "three nodes, one cluster";
// Limits of every node: 3 messages per user per hour and 2 sockets per user (policy replace).
const NAMES = ["a", "b", "c"] as const;
type Name = (typeof NAMES)[number];

let model: FixtureModel;
const nodes = new Map<Name, AgentdProcess>();
const directories: string[] = [];
let schema: string;

function nodeEnv(name: string, extra: Record<string, string> = {}): Record<string, string> {
  const dataDir = mkdtempSync(join(tmpdir(), `agentd-cluster-${name}-`));
  directories.push(dataDir);
  return {
    AGENTD_DATA_DIR: dataDir,
    AGENTD_POSTGRES__URL: postgres!.url,
    AGENTD_POSTGRES__SCHEMA: schema,
    AGENTD_POSTGRES__POOL_MAX: "3",
    AGENTD_REDIS__URL: redis!.url,
    AGENTD_REDIS__KEY_PREFIX: redis!.prefix,
    AGENTD_AUTH__JWT_SECRET: TEST_SECRET,
    ...fixtureModelEnv(model, `fixture-model-${name}`),
    AGENTD_WORKERS__THREADS: "0",
    // Short leases so a dead node's task is reaped within about two seconds (the defaults, 8 s and 1 s, bound it at 9 s).
    AGENTD_QUEUE__LEASE_MS: "2000",
    AGENTD_QUEUE__HEARTBEAT_MS: "400",
    AGENTD_QUEUE__REAPER_MS: "250",
    AGENTD_LIMITS__MESSAGES_PER_HOUR: "3",
    AGENTD_LIMITS__SOCKETS_PER_USER: "2",
    ...extra,
  };
}

/** The node whose model name is on a recorded request. */
const nodeOf = (modelName: string | undefined) => modelName?.replace("fixture-model-", "") as Name;

beforeAll(async () => {
  if (!postgres || !redis) return;
  // Lockstep: the test releases each reply's deltas after the first, so it knows what is running where.
  model = await startFixtureModel({ lockstep: true, waitTimeoutMs: 20_000, releaseTimeoutMs: 60_000 });
  schema = await postgres.createSchema();
  // Node a starts alone and runs one task at a time: the first reply is surely its own, and while
  // it runs, node a's clients' next messages can only be computed on b or c.
  nodes.set("a", await spawnAgentd(nodeEnv("a", { AGENTD_WORKERS__CONCURRENCY: "1" })));
  const cli = nodeEnv("cli");
  const add = async (username: string) => {
    const child = Bun.spawn([process.execPath, "src/main.ts", "user", "add", username, "--password-stdin"], {
      cwd: projectRoot,
      env: { ...process.env, ...cli },
      stdin: new TextEncoder().encode(`${PASSWORD}\n`),
      stdout: "pipe",
      stderr: "pipe",
    });
    if ((await child.exited) !== 0) throw new Error(`user add failed: ${await new Response(child.stderr).text()}`);
  };
  await Promise.all([add("alice"), add("bob")]);
}, 60_000);

afterAll(async () => {
  await Promise.all([...nodes.values()].map((node) => node.stop()));
  await model?.close();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  await postgres?.close();
  await redis?.cleanup();
});

async function login(node: AgentdProcess, username = "alice"): Promise<string> {
  const response = await fetch(`${node.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

const api = (node: AgentdProcess, path: string, token: string, init: RequestInit = {}) =>
  fetch(`${node.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers } });

async function conversation(node: AgentdProcess, token: string): Promise<string> {
  return ((await (await api(node, "/api/conversations", token, { method: "POST", body: "{}" })).json()) as { id: string }).id;
}

function connect(node: AgentdProcess, id: string, token: string, query = ""): TestSocket {
  return openSocket(`${node.url.replace("http", "ws")}/ws/chat/${id}${query}`, { authorization: `Bearer ${token}` });
}

const endOf = (messageId: string) => (frame: ServerMessage) => frame.type === "message.end" && frame.messageId === messageId;

test.skipIf(!postgres || !redis)(
  "a reply is computed on another node than the client's; kill -9 of the node running a reply: another node finishes it and the client resumes on the third, with the full text once",
  async () => {
    const a = nodes.get("a")!;
    const token = await login(a);

    // 1. A long reply on node a (the only node yet): its first two deltas reach the client, then it holds.
    model.script({ text: ["The", " first", " attempt", " never", " ends"] });
    const longId = await conversation(a, token);
    const longSocket = connect(a, longId, token);
    const ready = (await longSocket.next("session.ready")) as SessionReady;
    longSocket.send({ type: "message.send", clientMessageId: "the-long-one", content: "tell me a long story" });
    const long = await longSocket.next("message.accepted");
    expect(nodeOf((await model.lockstep.waitForSent(0, { request: 0 })).body?.model)).toBe("a");
    model.lockstep.release(1, { request: 0 });
    await model.lockstep.waitForSent(1, { request: 0 });
    while (applyFrames(longSocket.frames).text.get(long.messageId) !== "The first") await Bun.sleep(10);

    // 2. Nodes b and c join. A message sent on node a (busy: one task at a time) is computed on b or c,
    // and its deltas reach the client on a.
    const [b, c] = await Promise.all([spawnAgentd(nodeEnv("b")), spawnAgentd(nodeEnv("c"))]);
    nodes.set("b", b).set("c", c);
    model.script({ text: ["computed ", "elsewhere"] });
    const otherId = await conversation(a, token);
    const otherSocket = connect(a, otherId, token);
    await otherSocket.next("session.ready");
    otherSocket.send({ type: "message.send", clientMessageId: "elsewhere", content: "who answers?" });
    const other = await otherSocket.next("message.accepted");
    const computing = await model.lockstep.waitForSent(0, { request: 1 });
    const computedOn = nodeOf(computing.body?.model);
    expect(["b", "c"]).toContain(computedOn);
    expect(lastUserText(computing.body)).toBe("who answers?");
    model.lockstep.releaseAll({ request: 1 });
    await otherSocket.nextMatching(endOf(other.messageId));
    expect(applyFrames(otherSocket.frames).text.get(other.messageId)).toBe("computed elsewhere");
    otherSocket.close();

    // 3. kill -9 node a mid-reply: b or c leases the task again within the lease (2 s here) and runs it
    // from its checkpoint.
    const seen = applyFrames(longSocket.frames);
    model.script({ text: ["A", " different", " second", " reply"] });
    const killedAt = Date.now();
    await a.crash();
    nodes.delete("a");
    await longSocket.closed;
    const rerun = await model.lockstep.waitForSent(0, { request: 2 });
    expect(rerun.receivedAt - killedAt).toBeLessThan(10_000);
    expect(lastUserText(rerun.body)).toBe("tell me a long story");
    const finisher = nodeOf(rerun.body?.model);
    expect(["b", "c"]).toContain(finisher);

    // 4. The client resumes on the third node while the re-run is still held, then gets the rest live.
    const third = nodes.get(finisher === "b" ? "c" : "b")!;
    const resumed = connect(third, longId, await login(third), `?lastSeq=${seen.lastSeq}&epoch=${ready.epoch}`);
    await resumed.next("session.ready");
    model.lockstep.releaseAll({ request: 2 });
    await resumed.nextMatching(endOf(long.messageId), 15_000);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    const frames = resumed.frames;
    expect(frames[0]).toMatchObject({ type: "session.ready", epoch: ready.epoch, lastSeq: seen.lastSeq });
    expect(frames.some((frame) => frame.type === "session.reset")).toBe(false);
    const view = applyFrames(frames.slice(1), seen);
    expect(view.text.get(long.messageId)).toBe("A different second reply");
    expect(view.ends.get(long.messageId)).toBe(1);
    resumed.close();

    // The history holds the turn once, and the task says it took two runs.
    const history = (await (await api(third, `/api/conversations/${longId}`, token)).json()) as ConversationWithMessages;
    expect(history.messages.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: "user", content: "tell me a long story" },
      { role: "assistant", content: "A different second reply" },
    ]);
    expect(await (await api(third, `/api/tasks/${long.taskId}`, token)).json()).toMatchObject({ state: "succeeded", attempts: 2 });
    expect(model.chatRequests).toHaveLength(3);
  },
);

test.skipIf(!postgres || !redis)("the per-user message limit and socket cap hold across the nodes, not per node", async () => {
  model.lockstep.disable();
  const [b, c] = [nodes.get("b")!, nodes.get("c")!];
  const [onB, onC] = [await login(b, "bob"), await login(c, "bob")];
  const id = await conversation(b, onB);

  // Two sockets (the cap), one on each node; a third on c replaces the oldest, which is on b.
  const first = connect(b, id, onB);
  await first.next("session.ready");
  const second = connect(c, id, onC);
  await second.next("session.ready");
  const third = connect(c, id, onC);
  await third.next("session.ready");
  expect(await first.closed).toEqual({ code: 4009, reason: "opened elsewhere" });

  // 3 messages per hour in all: two through c, one through b, and the fourth is refused wherever it is sent.
  for (const [socket, n] of [[second, 1], [third, 2], [second, 3]] as const) {
    socket.send({ type: "message.send", clientMessageId: `bob-${n}`, content: `message ${n}` });
    const accepted = await socket.nextMatching((frame) => frame.type === "message.accepted" && frame.clientMessageId === `bob-${n}`);
    await socket.nextMatching(endOf((accepted as { messageId: string }).messageId));
  }
  const onNodeB = connect(b, id, onB);
  await onNodeB.next("session.ready");
  expect(await second.closed).toEqual({ code: 4009, reason: "opened elsewhere" });
  onNodeB.send({ type: "message.send", clientMessageId: "bob-4", content: "one too many" });
  expect(await onNodeB.next("error")).toMatchObject({ code: "rate_limited", clientMessageId: "bob-4", retryable: true });
  third.close();
  onNodeB.close();
});
