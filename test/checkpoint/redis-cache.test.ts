import { afterAll, describe, expect, test } from "bun:test";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { Redis } from "ioredis";
import { openPostgresSaver, type PooledPostgresSaver } from "../../src/checkpoint/postgres-saver.ts";
import { CachedCheckpointSaver } from "../../src/checkpoint/redis-cache.ts";
import { startPrivateRedis, type PrivateRedis } from "../helpers/private-redis.ts";
import { requirePostgres, requireRedis } from "../helpers/services.ts";
import { checkpointWith, loopMetadata, threadConfig } from "./helpers.ts";

// The Redis hot cache in front of the Postgres saver, as two nodes see it: each "node" has its own
// Postgres pool and Redis connection over one schema and one key prefix.
const postgres = await requirePostgres();
const redis = await requireRedis();
const opened: { saver: PooledPostgresSaver; client: Redis }[] = [];
const privateServers: PrivateRedis[] = [];
afterAll(async () => {
  for (const { saver, client } of opened) {
    client.disconnect();
    await saver.end();
  }
  for (const server of privateServers) await server.stop();
  await postgres?.close();
  await redis?.cleanup();
});

async function node(schema: string, prefix: string, options: { client?: Redis; ttlMs?: number; busyMs?: number; wrap?: (saver: PooledPostgresSaver, client: Redis) => BaseCheckpointSaver } = {}) {
  const saver = await openPostgresSaver({ url: postgres!.url, schema, poolMin: 0, poolMax: 3 });
  const client = options.client ?? new Redis(redis!.url);
  opened.push({ saver, client });
  const inner = options.wrap?.(saver, client) ?? saver;
  return { cached: new CachedCheckpointSaver(inner, { client, prefix, ttlMs: options.ttlMs ?? 60_000, busyMs: options.busyMs }), saver, client };
}

/** Puts a checkpoint holding `text` as the newest of `thread`; returns its id. */
async function putText(saver: BaseCheckpointSaver, thread: string, text: string, step: number): Promise<string> {
  const checkpoint = checkpointWith({ messages: [new HumanMessage(text), new AIMessage(`re: ${text}`)] }, { messages: step + 1 });
  const config = await saver.put(threadConfig(thread), checkpoint, loopMetadata(step), { messages: step + 1 });
  return config.configurable!.checkpoint_id as string;
}

const latestId = async (saver: BaseCheckpointSaver, thread: string) => (await saver.getTuple(threadConfig(thread)))?.config.configurable?.checkpoint_id;

describe.skipIf(!postgres || !redis)("checkpoint hot cache (Redis in front of Postgres)", () => {
  test("a cached read equals the saver's own, messages included; a hit refreshes the TTL; deleting the thread drops its entries", async () => {
    const schema = await postgres!.createSchema();
    const prefix = redis!.newPrefix();
    const { cached, saver } = await node(schema, prefix, { ttlMs: 5_000 });
    const id = await putText(cached, "t1", "hello", 0);
    await cached.putWrites({ configurable: { thread_id: "t1", checkpoint_ns: "", checkpoint_id: id } }, [["messages", "pending"]], "task-1");
    const fromSaver = await saver.getTuple(threadConfig("t1"));
    expect(await cached.getTuple(threadConfig("t1"))).toEqual(fromSaver); // fills
    const keys = await redis!.client.keys(`${prefix}checkpoints:*:t`);
    expect(keys).toHaveLength(1);
    const hit = await cached.getTuple(threadConfig("t1"));
    expect(hit).toEqual(fromSaver);
    expect(hit?.checkpoint.channel_values.messages).toEqual([new HumanMessage("hello"), new AIMessage("re: hello")]);
    await redis!.client.pexpire(keys[0]!, 1_000);
    await cached.getTuple(threadConfig("t1"));
    expect(await redis!.client.pttl(keys[0]!)).toBeGreaterThan(4_000);

    await cached.deleteThread("t1");
    expect(await redis!.client.exists(keys[0]!)).toBe(0);
    expect(await cached.getTuple(threadConfig("t1"))).toBeUndefined();
  });

  test("a node never reads a stale checkpoint after another node wrote: put, putWrites, and reads racing writes", async () => {
    const schema = await postgres!.createSchema();
    const prefix = redis!.newPrefix();
    const [a, b] = [await node(schema, prefix), await node(schema, prefix)];
    for (let step = 0; step < 20; step++) {
      // b reads the current one twice: the first fills its cache, the second is served from it.
      const before = await latestId(b.cached, "t");
      expect(await latestId(b.cached, "t")).toEqual(before);
      const id = await putText(a.cached, "t", `message ${step}`, step);
      expect(await latestId(b.cached, "t")).toBe(id);
      await a.cached.putWrites({ configurable: { thread_id: "t", checkpoint_ns: "", checkpoint_id: id } }, [["messages", `write ${step}`]], `task-${step}`);
      expect((await b.cached.getTuple(threadConfig("t")))?.pendingWrites).toEqual([[`task-${step}`, "messages", `write ${step}`]]);
    }

    // b reads in a loop while a writes: every read that starts after a put returned sees it or a newer one.
    let done = false;
    let completed = "";
    let reads = 0;
    const reader = (async () => {
      while (!done) {
        const floor = completed;
        const id = (await latestId(b.cached, "t")) as string;
        expect(id >= floor).toBe(true);
        reads++;
      }
    })();
    for (let step = 20; step < 50; step++) completed = await putText(a.cached, "t", `message ${step}`, step);
    done = true;
    await reader;
    expect(reads).toBeGreaterThan(10);
    expect(await latestId(b.cached, "t")).toBe(completed);
  });

  test("a writer that dies between Postgres and Redis leaves no stale entry, and refills wait until its mark expires", async () => {
    const schema = await postgres!.createSchema();
    const prefix = redis!.newPrefix();
    const b = await node(schema, prefix, { busyMs: 500 });
    const first = await putText(b.cached, "t", "before", 0);
    expect(await latestId(b.cached, "t")).toBe(first);
    // Node a: its Redis connection drops right after Postgres took the write (as if it died there).
    const a = await node(schema, prefix, {
      busyMs: 500,
      wrap: (saver, client) =>
        Object.assign(Object.create(saver) as PooledPostgresSaver, {
          put: async (...args: Parameters<PooledPostgresSaver["put"]>) => {
            const result = await saver.put(...args);
            client.disconnect();
            return result;
          },
        }),
    });
    const second = await putText(a.cached, "t", "written by a node that died", 1);
    expect(await latestId(b.cached, "t")).toBe(second);
    expect(await redis!.client.keys(`${prefix}checkpoints:*:t`)).toEqual([]);
    await Bun.sleep(600);
    expect(await latestId(b.cached, "t")).toBe(second);
    expect(await redis!.client.keys(`${prefix}checkpoints:*:t`)).toHaveLength(1);
  });

  test("a Redis restarted from its append-only file brings back old entries, which are never read (keys carry the server's run id)", async () => {
    const server = (await startPrivateRedis(["--appendonly", "yes", "--appendfsync", "always"]))!;
    privateServers.push(server);
    const schema = await postgres!.createSchema();
    const client = new Redis({ path: server.socketPath });
    const { cached, saver } = await node(schema, "restart:", { client });
    await putText(cached, "t", "cached", 0);
    expect(await cached.getTuple(threadConfig("t"))).toBeDefined();
    // A write the cache never heard of (as if Redis lost its invalidation in the crash).
    const newer = await putText(saver, "t", "newer", 1);
    await server.kill();
    await server.start();
    const deadline = Date.now() + 8_000;
    while (client.status !== "ready" && Date.now() < deadline) await Bun.sleep(20);
    expect(await latestId(cached, "t")).toBe(newer);
  });
});
