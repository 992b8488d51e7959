import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { RedisPubSub } from "../../src/pubsub/redis.ts";
import { requireRedis } from "../helpers/services.ts";
import { startPrivateRedis, type PrivateRedis } from "../helpers/private-redis.ts";

// A Redis whose pub/sub output-buffer limit (256 KB) is far below the messages published: an event
// that went over the subscriber connection itself would get that connection dropped by Redis.
const shared = await requireRedis(); // the same skip/fail rule as every Redis suite
let server: PrivateRedis;
let admin: Redis;
beforeAll(async () => {
  server = (await startPrivateRedis(["--client-output-buffer-limit", "pubsub 256kb 128kb 5"]))!;
  admin = server.connect();
});
afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
  await shared?.cleanup();
});

const big = (label: string, megabytes: number) => ({ label, body: label.repeat(Math.ceil((megabytes * 1024 * 1024) / label.length)) });

async function receiveAll(inlineMaxBytes: number | undefined, messages: unknown[], waitMs = 5000) {
  const errors: unknown[] = [];
  const make = () => new RedisPubSub({ connect: () => server.connect(), prefix: "large:", inlineMaxBytes, onError: (error) => errors.push(error) });
  const [publisher, subscriber] = [make(), make()];
  const seen: unknown[] = [];
  await subscriber.subscribe("events", (message) => seen.push(message));
  for (const message of messages) await publisher.publish("events", message);
  const deadline = Date.now() + waitMs;
  while (seen.length < messages.length && Date.now() < deadline) await Bun.sleep(5);
  const subscribers = String(await admin.call("CLIENT", "LIST", "TYPE", "pubsub")).trim().split("\n").filter(Boolean);
  await Promise.all([publisher.close(), subscriber.close()]);
  return { seen, errors, subscribers };
}

test.skipIf(!shared)("multi-megabyte events arrive whole and in order, and the subscriber connection is never cut", async () => {
  const messages = [{ seq: 1 }, big("A", 5), { seq: 2 }, big("B", 2), big("C", 2), { seq: 3 }];
  const { seen, errors, subscribers } = await receiveAll(undefined, messages);
  expect(errors).toEqual([]);
  expect(seen.length).toBe(messages.length);
  expect(seen).toEqual(messages);
  expect(subscribers).toHaveLength(1);
  // The bodies expire: nothing large stays behind in Redis for long.
  const keys = await admin.keys("large:pubsub:large:*");
  expect(keys.length).toBe(3);
  for (const key of keys) expect(await admin.pttl(key)).toBeGreaterThan(0);
});

test.skipIf(!shared)("control: the same event sent inline over the subscriber connection is lost when Redis cuts it", async () => {
  const { seen } = await receiveAll(Number.MAX_SAFE_INTEGER, [{ seq: 1 }, big("A", 5), { seq: 2 }], 1000);
  expect(seen).not.toContainEqual(expect.objectContaining({ label: "A" }));
});
