import { afterAll } from "bun:test";
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
