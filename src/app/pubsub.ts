import type { Config } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import { MemoryPubSub } from "../pubsub/memory.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import { RedisPubSub } from "../pubsub/redis.ts";
import { createRedisClient, parseRedisUrl } from "../redis/connection.ts";

export interface OpenPubSub {
  pubsub: PubSub;
  /** Null when ready; else why not (for /readyz). Absent on a single node. */
  readiness?: () => Promise<string | null>;
}

/** Redis pub/sub between the nodes when `redis.url` is set, else in memory. */
export function openPubSub(config: Config, log: Logger): OpenPubSub {
  if (!config.redis.url) return { pubsub: new MemoryPubSub() };
  const target = parseRedisUrl(config.redis.url);
  const pubsub = new RedisPubSub({
    connect: () => createRedisClient(target, { maxRetriesPerRequest: 3 }),
    prefix: config.redis.key_prefix,
    onError: (error, channel) => log.error("pubsub delivery failed", { channel, error }),
  });
  return { pubsub, readiness: async () => (await pubsub.ping(), null) };
}
