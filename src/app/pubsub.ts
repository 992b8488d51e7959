import type { Config } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import { MemoryPubSub } from "../pubsub/memory.ts";
import type { PubSub } from "../pubsub/pubsub.ts";

export interface OpenPubSub {
  pubsub: PubSub;
  /** Null when ready; else why not (for /readyz). Absent on a single node. */
  readiness?: () => Promise<string | null>;
}

/** Redis pub/sub between the nodes when `redis.url` is set (ioredis is loaded only then), else in memory. */
export async function openPubSub(config: Config, log: Logger): Promise<OpenPubSub> {
  if (!config.redis.url) return { pubsub: new MemoryPubSub() };
  const [{ RedisPubSub }, { createRedisClient, parseRedisUrl, redactRedisUrl }] = await Promise.all([
    import("../pubsub/redis.ts"),
    import("../redis/connection.ts"),
  ]);
  const target = parseRedisUrl(config.redis.url);
  const pubsub = new RedisPubSub({
    connect: () => createRedisClient(target, { maxRetriesPerRequest: 3 }),
    prefix: config.redis.key_prefix,
    onError: (error, channel) => log.error("pubsub delivery failed", { channel, error }),
  });
  log.info("pub/sub between nodes on Redis", { url: redactRedisUrl(config.redis.url), prefix: config.redis.key_prefix });
  return { pubsub, readiness: async () => (await pubsub.ping(), null) };
}
