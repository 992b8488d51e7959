import type { CircuitBreakers } from "../breaker/breaker.ts";
import type { Clock } from "../clock.ts";
import type { Config } from "../config/schema.ts";
import type { TokenDenyList } from "../deny-list/deny-list.ts";
import type { EventLog } from "../events/event-log.ts";
import type { RateLimiterFactory } from "../limits/rate-limiter.ts";
import type { SocketSlots } from "../socket-slots/socket-slots.ts";
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
  /** Every rate rule, counted across the nodes (messages per user, logins, connects, provider calls). */
  rateLimiter: RateLimiterFactory;
  denyList: TokenDenyList;
  breakers: CircuitBreakers;
  /**
   * The shared task queue, or null when `postgres.url` is not set: a task's record lives in the app
   * store, so a queue shared by nodes needs a store shared by them too.
   */
  openQueue(pubsub: PubSub): Promise<TaskQueue | null>;
  /** The socket caps (per user, per IP) counted across the nodes. */
  openSocketSlots(pubsub: PubSub): Promise<SocketSlots>;
  /** Null when the command connection is up and Redis answers; else why not (for /readyz). */
  readiness(): Promise<string | null>;
  close(): Promise<void>;
}

export async function openSharedState(config: Config, log: Logger, clock: Clock): Promise<SharedState | null> {
  if (!config.redis.url) return null;
  const [connection, { RedisEventLog }, { RedisTaskQueue }, { createRedisRateLimiter }, { RedisTokenDenyList }, { RedisCircuitBreakers }, { RedisSocketSlots }] =
    await Promise.all([
      import("../redis/connection.ts"),
      import("../events/redis.ts"),
      import("../queue/redis.ts"),
      import("../limits/redis.ts"),
      import("../deny-list/redis.ts"),
      import("../breaker/redis.ts"),
      import("../socket-slots/redis.ts"),
    ]);
  const prefix = config.redis.key_prefix;
  // Reconnect attempts at most 500 ms apart, and a command waits for two at most: while Redis is down
  // requests fail within about a second with redis_unavailable rather than hang, and a restart is noticed quickly.
  const client = connection.createRedisClient(connection.parseRedisUrl(config.redis.url), {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 50, 500),
  });
  // Connection errors are retried by ioredis and surface as failed commands; without a listener each would be an uncaught 'error' event.
  client.on("error", () => {});
  const events = new RedisEventLog({ client, prefix, maxPerConversation: config.events.max_per_conversation, maxAgeMs: config.events.max_age_ms });
  const { failures, open_ms: openMs, successes } = config.breaker;
  let slots: SocketSlots | undefined;
  return {
    events,
    rateLimiter: (rule) => createRedisRateLimiter(rule, client, prefix, clock),
    denyList: new RedisTokenDenyList(client, prefix),
    // A trial call runs at most as long as a reply may (queue.hard_timeout_ms); a node dying mid-trial frees it then.
    breakers: new RedisCircuitBreakers({ client, prefix, failures, openMs, successes, trialLeaseMs: config.queue.hard_timeout_ms }),
    async openQueue(pubsub) {
      if (!config.postgres.url) {
        log.warn("redis.url is set but postgres.url is not: each node keeps its own task queue (a shared queue needs the shared task store)");
        return null;
      }
      return RedisTaskQueue.open({ client, prefix, leaseMs: config.queue.lease_ms, pubsub });
    },
    // A dead node's sockets stop counting 30 s after its last refresh (every 10 s).
    openSocketSlots: async (pubsub) => (slots = await RedisSocketSlots.open({ client, prefix, pubsub, ttlMs: 30_000 })),
    async readiness() {
      if (client.status !== "ready") return `the command connection to Redis is ${client.status}`;
      await client.ping();
      return null;
    },
    async close() {
      await slots?.close();
      // quit() waits for pending commands, which never finish while Redis is unreachable: drop the socket then.
      if (client.status === "ready") await client.quit().catch(() => {});
      else client.disconnect();
    },
  };
}
