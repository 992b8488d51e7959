import type { Config } from "../config/schema.ts";
import type { EventLog } from "../events/event-log.ts";
import type { Logger } from "../log.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import type { TaskQueue } from "../queue/queue.ts";

/**
 * The parts several nodes must share, on Redis: built when `redis.url` is set (ioredis and these
 * implementations are loaded only then). Each uses one command connection per node; pub/sub has
 * its own (see pubsub.ts).
 */
export interface SharedState {
  events: EventLog;
  /**
   * The shared task queue, or null when `postgres.url` is not set: a task's record lives in the app
   * store, so a queue shared by nodes needs a store shared by them too.
   */
  openQueue(pubsub: PubSub): Promise<TaskQueue | null>;
  /** Null when the command connection is up and Redis answers; else why not (for /readyz). */
  readiness(): Promise<string | null>;
  close(): Promise<void>;
}

export async function openSharedState(config: Config, log: Logger): Promise<SharedState | null> {
  if (!config.redis.url) return null;
  const [{ createRedisClient, parseRedisUrl }, { RedisEventLog }, { RedisTaskQueue }] = await Promise.all([
    import("../redis/connection.ts"),
    import("../events/redis.ts"),
    import("../queue/redis.ts"),
  ]);
  const prefix = config.redis.key_prefix;
  const client = createRedisClient(parseRedisUrl(config.redis.url), { maxRetriesPerRequest: 3 });
  // Connection errors are retried by ioredis and surface as failed commands; without a listener each would be an uncaught 'error' event.
  client.on("error", () => {});
  const events = new RedisEventLog({ client, prefix, maxPerConversation: config.events.max_per_conversation, maxAgeMs: config.events.max_age_ms });
  return {
    events,
    async openQueue(pubsub) {
      if (!config.postgres.url) {
        log.warn("redis.url is set but postgres.url is not: each node keeps its own task queue (a shared queue needs the shared task store)");
        return null;
      }
      return RedisTaskQueue.open({ client, prefix, leaseMs: config.queue.lease_ms, pubsub });
    },
    async readiness() {
      if (client.status !== "ready") return `the command connection to Redis is ${client.status}`;
      await client.ping();
      return null;
    },
    async close() {
      // quit() waits for pending commands, which never finish while Redis is unreachable: drop the socket then.
      if (client.status === "ready") await client.quit().catch(() => {});
      else client.disconnect();
    },
  };
}
