import { afterAll } from "bun:test";
import { RedisPubSub } from "../../src/pubsub/redis.ts";
import { createRedisClient, parseRedisUrl } from "../../src/redis/connection.ts";
import { requireRedis } from "../helpers/services.ts";
import { pubsubSuite } from "./pubsub.suite.ts";

const redis = await requireRedis();
if (redis) {
  afterAll(() => redis.cleanup());
  const target = parseRedisUrl(redis.url);
  // Every instance is a node on the same Redis and prefix; the small inline limit sends some of the
  // suite's messages by reference too.
  pubsubSuite({
    name: "redis",
    create: async () => new RedisPubSub({ connect: () => createRedisClient(target), prefix: redis.prefix, inlineMaxBytes: 64 }),
    destroy: (pubsub) => pubsub.close(),
    multiNode: true,
  });
}
