import { afterAll, describe, expect, test } from "bun:test";
import { RedisPubSub } from "../../src/pubsub/redis.ts";
import { RedisTaskQueue } from "../../src/queue/redis.ts";
import { createRedisClient, parseRedisUrl, type RedisClient } from "../../src/redis/connection.ts";
import { requireRedis } from "../helpers/services.ts";
import { queueSuite } from "./queue.suite.ts";

const redis = await requireRedis();
const clients: RedisClient[] = [];
const pubsubs: RedisPubSub[] = [];
afterAll(async () => {
  await Promise.all(pubsubs.map((pubsub) => pubsub.close()));
  for (const client of clients) client.disconnect();
  await redis?.cleanup();
});

/** One node's queue on the shared Redis: its own connections, the suite's current prefix. */
async function nodeQueue(prefix: string, leaseMs: number, pollMs?: number) {
  const target = parseRedisUrl(redis!.url);
  const client = createRedisClient(target);
  clients.push(client);
  const pubsub = new RedisPubSub({ connect: () => createRedisClient(target), prefix });
  pubsubs.push(pubsub);
  const queue = await RedisTaskQueue.open({ client, prefix, leaseMs, pubsub, pollMs });
  await queue.listening;
  return queue;
}

if (redis) {
  let prefix = "";
  // Leases and due times run on Redis's clock: short real windows, each boundary tested 60 ms either side.
  queueSuite({
    name: "redis",
    create: (options) => nodeQueue((prefix = redis.newPrefix()), options.leaseMs),
    reopen: (options) => nodeQueue(prefix, options.leaseMs),
    realTime: { leaseMs: 400, slackMs: 60 },
  });
}

describe.skipIf(!redis)("Redis task queue across nodes", () => {
  test("an enqueue on one node wakes the listeners of another at once", async () => {
    const prefix = redis!.newPrefix();
    const [a, b] = [await nodeQueue(prefix, 5_000, 60_000), await nodeQueue(prefix, 5_000, 60_000)];
    const woken = new Promise<void>((resolve) => b.onAvailable(resolve));
    await a.enqueue({ taskId: "t1", conversationId: "c", userId: "u", agent: "assistant", userMessageId: "u1", messageId: "m1", content: "hi" });
    await woken;
    expect((await b.take("node-b"))?.taskId).toBe("t1");
    await Promise.all([a.close(), b.close()]);
  });

  test("two nodes taking at once never get the same task", async () => {
    const prefix = redis!.newPrefix();
    const [a, b] = [await nodeQueue(prefix, 5_000), await nodeQueue(prefix, 5_000)];
    for (let i = 0; i < 40; i++) {
      await a.enqueue({ taskId: `t${i}`, conversationId: `c${i % 10}`, userId: "u", agent: "assistant", userMessageId: `u${i}`, messageId: `m${i}`, content: "x" });
    }
    const taken: string[] = [];
    for (let round = 0; round < 4; round++) {
      const batch = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).take(`node-${i % 2}`)));
      const got = batch.filter((task) => task !== null);
      // One task per conversation at a time: ten conversations, ten leases.
      expect(got).toHaveLength(10);
      taken.push(...got.map((task) => task.taskId));
      const acks = await Promise.all(got.map((task) => a.ack(task.taskId, `node-${batch.indexOf(task) % 2}`)));
      expect(acks.every(Boolean)).toBe(true);
    }
    expect(new Set(taken).size).toBe(40);
    expect(await a.depth()).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });
});
