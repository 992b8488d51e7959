import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { SqliteSaver, type SqliteSaverOptions } from "../checkpoint/sqlite-saver.ts";
import { durationMs, type Config } from "../config/schema.ts";
import { postgresOptions } from "./app-store.ts";
import { dataPaths } from "./paths.ts";

export interface OpenCheckpointer {
  saver: BaseCheckpointSaver;
  /** Throws when the checkpoint storage cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** With the Redis hot cache: loads the latest checkpoints of the most recently active conversations into it; resolves with how many. */
  warm?(): Promise<number>;
}

/**
 * The LangGraph checkpointer this config names, set up and ready: Postgres when `postgres.url` is
 * set (never a silent fallback to anything else), with the Redis hot cache in front when
 * `redis.url` is set too (`cache.*`), else our SQLite saver under data_dir (its connection
 * checkpointing the file past `autoCheckpointPages`, SQLite's 1,000 when unset; keeping what it
 * stores decoded up to `keepStoredBytes`).
 */
export async function openCheckpointer(config: Config, sqlite: SqliteSaverOptions & { autoCheckpointPages?: number } = {}): Promise<OpenCheckpointer> {
  const postgres = postgresOptions(config);
  if (!postgres) {
    const saver = SqliteSaver.fromPath(dataPaths(config).checkpoints, undefined, sqlite);
    saver.setup();
    return { saver, ping: async () => void saver.db.query("SELECT 1").get(), close: async () => saver.db.close() };
  }
  const [{ openPostgresSaver }, { storageUnavailable }] = await Promise.all([
    import("../checkpoint/postgres-saver.ts"),
    import("../storage/postgres/connect.ts"),
  ]);
  const saver = await openPostgresSaver(postgres).catch((error: unknown) => {
    throw storageUnavailable(error, postgres.url);
  });
  const plain = { saver, ping: () => saver.ping(), close: () => saver.end() };
  if (!config.redis.url || !config.cache.enabled) return plain;
  const [{ CachedCheckpointSaver }, { createRedisClient, parseRedisUrl }] = await Promise.all([import("../checkpoint/redis-cache.ts"), import("../redis/connection.ts")]);
  const target = parseRedisUrl(config.redis.url);
  // Its keys carry the server's run id, which a Cluster (one per shard) does not give for a key: no cache there.
  if (target.kind === "cluster") return plain;
  const client = createRedisClient(target, { maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: (attempt) => Math.min(attempt * 50, 500) });
  client.on("error", () => {});
  const cached = new CachedCheckpointSaver(saver, { client, prefix: config.redis.key_prefix, ttlMs: durationMs(config.cache.ttl) });
  return {
    saver: cached,
    ping: plain.ping,
    async close() {
      client.disconnect();
      await saver.end();
    },
    async warm() {
      const threads = config.cache.warm_conversations > 0 ? await saver.recentThreadIds(config.cache.warm_conversations) : [];
      for (const thread of threads) await cached.getTuple({ configurable: { thread_id: thread, checkpoint_ns: "" } });
      return threads.length;
    },
  };
}
