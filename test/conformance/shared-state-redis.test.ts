import { afterAll, expect, test } from "bun:test";
import { RedisCircuitBreakers } from "../../src/breaker/redis.ts";
import { RedisTokenDenyList } from "../../src/deny-list/redis.ts";
import { createRedisRateLimiter } from "../../src/limits/redis.ts";
import { RedisPubSub } from "../../src/pubsub/redis.ts";
import { RedisSocketSlots } from "../../src/socket-slots/redis.ts";
import { createRedisClient, parseRedisUrl, type RedisClient } from "../../src/redis/connection.ts";
import { requireRedis } from "../helpers/services.ts";
import { breakerSuite } from "./breaker.suite.ts";
import { denyListSuite } from "./deny-list.suite.ts";
import { rateLimiterSuite } from "./rate-limiter.suite.ts";
import { socketSlotsSuite } from "./socket-slots.suite.ts";

// The rate limiter, the deny-list and the breakers on Redis, each instance a node with its own
// connection and each spec under its own key prefix. Their time rules run on Redis's clock: short
// real windows instead of the fake clock.
const redis = await requireRedis();
const clients: RedisClient[] = [];
const pubsubs: RedisPubSub[] = [];
afterAll(async () => {
  await Promise.all(pubsubs.map((pubsub) => pubsub.close()));
  for (const client of clients) client.disconnect();
  await redis?.cleanup();
});
const connect = () => {
  const client = createRedisClient(parseRedisUrl(redis!.url));
  clients.push(client);
  return client;
};

if (redis) {
  // rate-limiter-flexible's Redis store counts windows in whole seconds.
  rateLimiterSuite({
    name: "redis",
    create: (rule, clock) => createRedisRateLimiter(rule, connect(), redis.newPrefix(), clock),
    realTime: { windowMs: 1_000, slackMs: 60 },
  });
  denyListSuite({ name: "redis", create: () => new RedisTokenDenyList(connect(), redis.newPrefix()), realTime: { ttlMs: 300, slackMs: 60 } });
  let prefix = "";
  breakerSuite({
    name: "redis",
    create: (options) => new RedisCircuitBreakers({ ...options, client: connect(), prefix: (prefix = redis.newPrefix()), trialLeaseMs: 60_000 }),
    reopen: (options) => new RedisCircuitBreakers({ ...options, client: connect(), prefix, trialLeaseMs: 60_000 }),
    realTime: { openMs: 300, slackMs: 60 },
  });
  let slotsPrefix = "";
  socketSlotsSuite({
    name: "redis",
    async create(ttlMs, node) {
      if (node === 0) slotsPrefix = redis.newPrefix();
      const pubsub = new RedisPubSub({ connect, prefix: slotsPrefix });
      pubsubs.push(pubsub);
      const slots = await RedisSocketSlots.open({ client: connect(), prefix: slotsPrefix, pubsub, ttlMs });
      await slots.listening;
      return slots;
    },
    slackMs: 60,
  });
}

test.skipIf(!redis)("Redis socket counts: the places of a dead node's sockets go even where no cap counts them", async () => {
  const prefix = redis!.newPrefix();
  const pubsub = new RedisPubSub({ connect, prefix });
  pubsubs.push(pubsub);
  const [dead, alive] = [await RedisSocketSlots.open({ client: connect(), prefix, pubsub, ttlMs: 200 }), await RedisSocketSlots.open({ client: connect(), prefix, pubsub, ttlMs: 200 })];
  const uncapped = { perUser: 0, policy: "refuse" as const, perIp: 0 };
  await dead.acquire({ socketId: "s1", userId: "u1", ip: "10.0.0.1" }, uncapped);
  expect(await redis!.client.exists(`${prefix}{sockets}:user:u1`, `${prefix}{sockets}:ip:10.0.0.1`)).toBe(2);
  await Bun.sleep(260);
  await alive.acquire({ socketId: "s2", userId: "u2", ip: "10.0.0.2" }, uncapped);
  expect(await redis!.client.exists(`${prefix}{sockets}:user:u1`, `${prefix}{sockets}:ip:10.0.0.1`)).toBe(0);
  expect(await redis!.client.hexists(`${prefix}{sockets}:info`, "s1")).toBe(0);
  await Promise.all([dead.close(), alive.close()]);
});
