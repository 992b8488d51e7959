import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RedisPubSub } from "../../src/pubsub/redis.ts";
import { RedisCircuitBreakers } from "../../src/breaker/redis.ts";
import { RedisEventLog } from "../../src/events/redis.ts";
import { createRedisRateLimiter } from "../../src/limits/redis.ts";
import { RedisTaskQueue } from "../../src/queue/redis.ts";
import { RedisSocketSlots } from "../../src/socket-slots/redis.ts";
import { systemClock } from "../../src/clock.ts";
import { createRedisClient, parseRedisUrl, redactRedisUrl } from "../../src/redis/connection.ts";
import { requireRedis } from "../helpers/services.ts";

describe("redis.url forms", () => {
  test("one server: redis:// and rediss:// go to ioredis as they are", () => {
    expect(parseRedisUrl("redis://:pw@cache:6380/2")).toEqual({ kind: "single", url: "redis://:pw@cache:6380/2" });
    expect(parseRedisUrl("rediss://cache")).toEqual({ kind: "single", url: "rediss://cache" });
  });

  test("sentinel: hosts (default port 26379), master name, db, credentials and the sentinels' password", () => {
    expect(parseRedisUrl("redis-sentinel://app:p%40ss@s1:26380,s2,[::1]:26381/mymaster/3?sentinel_password=sp")).toEqual({
      kind: "sentinel",
      sentinels: [
        { host: "s1", port: 26380 },
        { host: "s2", port: 26379 },
        { host: "::1", port: 26381 },
      ],
      name: "mymaster",
      db: 3,
      username: "app",
      password: "p@ss",
      sentinelPassword: "sp",
    });
    expect(parseRedisUrl("redis-sentinel://s1/main")).toMatchObject({ kind: "sentinel", name: "main", db: 0 });
  });

  test("cluster: seed nodes (default port 6379) and credentials", () => {
    expect(parseRedisUrl("redis-cluster://:secret@n1:7000,n2")).toEqual({
      kind: "cluster",
      nodes: [
        { host: "n1", port: 7000 },
        { host: "n2", port: 6379 },
      ],
      password: "secret",
    });
  });

  test("mistakes are named", () => {
    expect(() => parseRedisUrl("http://cache:6379")).toThrow(/must start with redis:\/\//);
    expect(() => parseRedisUrl("redis-sentinel://s1:26379")).toThrow(/names the master/);
    expect(() => parseRedisUrl("redis-sentinel://s1/main/x")).toThrow(/must be a number/);
    expect(() => parseRedisUrl("redis-cluster://n1:port")).toThrow(/not host:port/);
  });

  test("passwords are hidden in what is logged", () => {
    expect(redactRedisUrl("redis://user:secret@cache:6379")).toBe("redis://user:***@cache:6379");
    expect(redactRedisUrl("redis-cluster://:secret@n1,n2")).toBe("redis-cluster://:***@n1,n2");
    expect(redactRedisUrl("redis://cache:6379")).toBe("redis://cache:6379");
  });
});

// Real Sentinel and Cluster deployments of the test's own (private redis-server processes on free
// ports), reached through the URL forms above: pub/sub must work across two nodes on each.
const shared = await requireRedis(); // the same skip/fail rule as every Redis suite
const children: Bun.Subprocess[] = [];
const directory = mkdtempSync(join(tmpdir(), "agentd-redis-topology-"));
afterAll(async () => {
  for (const child of children) child.kill();
  await Promise.all(children.map((child) => child.exited));
  rmSync(directory, { recursive: true, force: true });
  await shared?.cleanup();
});

function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

async function startServer(args: string[]): Promise<void> {
  children.push(Bun.spawn(["redis-server", ...args], { cwd: directory, stdout: "ignore", stderr: "ignore" }));
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

const cli = (port: number, ...args: string[]) => Bun.$`redis-cli -h 127.0.0.1 -p ${port} ${args}`.quiet().nothrow().text();

async function crossNodeDelivery(url: string): Promise<unknown[]> {
  const target = parseRedisUrl(url);
  const make = () => new RedisPubSub({ connect: () => createRedisClient(target), prefix: "topology:", inlineMaxBytes: 32 });
  const [a, b] = [make(), make()];
  try {
    const seen: unknown[] = [];
    await b.subscribe("conversation:x", (message) => seen.push(message));
    await a.publish("conversation:x", { n: 1 });
    await a.publish("conversation:x", { n: 2, body: "large enough to travel by reference" });
    await until("both messages", async () => seen.length === 2, 5000);
    await expect(b.ping()).resolves.toBeUndefined();
    return seen;
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

test.skipIf(!shared)("redis-sentinel://: pub/sub through the master the sentinel names", async () => {
  const [masterPort, sentinelPort] = [freePort(), freePort()];
  await startServer(["--port", String(masterPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory]);
  await until("the master", async () => (await cli(masterPort, "ping")).trim() === "PONG");
  const config = join(directory, "sentinel.conf");
  writeFileSync(config, `port ${sentinelPort}\nbind 127.0.0.1\ndir ${directory}\nsentinel monitor mymaster 127.0.0.1 ${masterPort} 1\n`);
  await startServer([config, "--sentinel"]);
  await until("the sentinel", async () => (await cli(sentinelPort, "sentinel", "get-master-addr-by-name", "mymaster")).includes(String(masterPort)));
  expect(await crossNodeDelivery(`redis-sentinel://127.0.0.1:${sentinelPort}/mymaster`)).toEqual([{ n: 1 }, { n: 2, body: "large enough to travel by reference" }]);
}, 30_000);

test.skipIf(!shared)("redis-cluster://: pub/sub, the queue, the event log, limits, breakers and socket counts on a three-master cluster", async () => {
  const ports = [freePort(), freePort(), freePort()];
  for (const port of ports) {
    await startServer(["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`, "--save", "", "--appendonly", "no", "--dir", directory]);
  }
  for (const port of ports) await until(`cluster node ${port}`, async () => (await cli(port, "ping")).trim() === "PONG");
  // What `redis-cli --cluster create` does, without its one-second waits: split the slots, then meet.
  const slots = [0, 5461, 10923, 16384];
  for (const [index, port] of ports.entries()) await cli(port, "cluster", "addslotsrange", String(slots[index]), String(slots[index + 1]! - 1));
  for (const port of ports.slice(1)) await cli(ports[0]!, "cluster", "meet", "127.0.0.1", String(port));
  await until("cluster_state:ok", async () => (await Promise.all(ports.map((port) => cli(port, "cluster", "info")))).every((info) => info.includes("cluster_state:ok")));
  const url = `redis-cluster://127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}`;
  expect(await crossNodeDelivery(url)).toEqual([{ n: 1 }, { n: 2, body: "large enough to travel by reference" }]);
  await sharedPartsWork(url);
}, 30_000);

/** The queue, event log, limiter, breakers and socket counts on a Cluster: every script's keys share a slot. */
async function sharedPartsWork(url: string): Promise<void> {
  const target = parseRedisUrl(url);
  const client = createRedisClient(target);
  const pubsub = new RedisPubSub({ connect: () => createRedisClient(target), prefix: "topology:" });
  try {
    const queue = await RedisTaskQueue.open({ client, prefix: "topology:", leaseMs: 5_000, pubsub });
    for (const id of ["t1", "t2"]) await queue.enqueue({ taskId: id, conversationId: "c", userId: "u", agent: "assistant", userMessageId: id, messageId: id, content: "x" });
    expect((await queue.take("n1"))?.taskId).toBe("t1");
    expect(await queue.take("n1")).toBeNull();
    expect(await queue.ack("t1", "n1")).toBe(true);
    expect((await queue.take("n1"))?.attempt).toBe(1);
    expect(await queue.reap()).toBe(0);
    await queue.close();

    const events = new RedisEventLog({ client, prefix: "topology:", maxPerConversation: 10, maxAgeMs: 60_000 });
    await events.append("c", { type: "message.delta", messageId: "m", text: "a" });
    await events.append("c", { type: "message.end", messageId: "m", reason: "completed" });
    expect((await events.readAfter("c", 0))?.map((event) => event.seq)).toEqual([1, 2]);

    const limiter = createRedisRateLimiter({ id: "topology", limit: 1, windowMs: 60_000 }, client, "topology:", systemClock);
    expect((await limiter.consume("k")).allowed).toBe(true);
    expect((await limiter.consume("k")).allowed).toBe(false);

    const breakers = new RedisCircuitBreakers({ client, prefix: "topology:", failures: 1, openMs: 60_000, successes: 1, trialLeaseMs: 1_000 });
    await breakers.record("llm", "failure", false);
    expect((await breakers.snapshot()).llm?.state).toBe("open");

    const slots = await RedisSocketSlots.open({ client, prefix: "topology:", pubsub, ttlMs: 60_000 });
    expect(await slots.acquire({ socketId: "s1", userId: "u", ip: "10.0.0.1" }, { perUser: 1, policy: "refuse", perIp: 5 })).toEqual({ admitted: true, replaced: [] });
    expect(await slots.countIp("10.0.0.1")).toBe(1);
    await slots.close();
  } finally {
    await pubsub.close();
    client.disconnect();
  }
}
