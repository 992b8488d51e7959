import type { ConversationEvent, UnsequencedEvent } from "../protocol/index.ts";
import type { RedisClient } from "../redis/connection.ts";
import { defineScript, type RedisScript } from "../redis/script.ts";
import { viaRedis } from "../redis/unavailable.ts";
import type { EventLog, EventLogOptions } from "./event-log.ts";
import { APPEND, EPOCH, READ_AFTER } from "./redis-scripts.ts";

export interface RedisEventLogOptions extends Omit<EventLogOptions, "clock"> {
  /** The command connection (shared with other parts; the log does not close it). */
  client: RedisClient;
  /** `redis.key_prefix`: a conversation's keys are `<prefix>events:{<id>}:log|meta`. */
  prefix: string;
}

/** How long a conversation's seq and epoch are kept after its last event or resume (at least). */
const META_TTL_MS = 7 * 24 * 3_600_000;

type StreamEntry = [id: string, fields: string[]];

/**
 * The event log on Redis Streams, shared by every node: a client resumes on any node, and the
 * epoch of a conversation is the same everywhere. Age limits run on Redis's clock: a stream
 * expires `maxAgeMs` after its last reply ended (Redis drops it; `prune` has nothing to do), and
 * older events are trimmed at each `message.end`. See `redis-scripts.ts` for the layout.
 * Calls while Redis is unreachable reject with AppError `redis_unavailable`.
 */
export class RedisEventLog implements EventLog {
  private readonly scripts: Record<"append" | "readAfter" | "epoch", RedisScript>;
  private readonly metaTtlMs: number;

  constructor(private readonly options: RedisEventLogOptions) {
    const { client } = options;
    this.scripts = {
      append: defineScript(client, "agentdEventsAppend", 2, APPEND),
      readAfter: defineScript(client, "agentdEventsReadAfter", 2, READ_AFTER),
      epoch: defineScript(client, "agentdEventsEpoch", 2, EPOCH),
    };
    this.metaTtlMs = Math.max(META_TTL_MS, 2 * options.maxAgeMs);
  }

  async append(conversationId: string, event: UnsequencedEvent): Promise<ConversationEvent> {
    const { maxPerConversation, maxAgeMs } = this.options;
    const args = [JSON.stringify(event), event.type, Bun.randomUUIDv7(), maxPerConversation, maxAgeMs, this.metaTtlMs];
    const seq = Number(await viaRedis(this.scripts.append(this.keys(conversationId), args)));
    return { ...event, seq } as ConversationEvent;
  }

  async readAfter(conversationId: string, afterSeq: number): Promise<ConversationEvent[] | null> {
    const entries = (await viaRedis(this.scripts.readAfter(this.keys(conversationId), [afterSeq]))) as StreamEntry[] | null;
    if (!entries) return null;
    return entries.map(([id, fields]) => ({ ...JSON.parse(fields[1]!), seq: Number(id.slice(2)) }) as ConversationEvent);
  }

  async lastSeq(conversationId: string): Promise<number> {
    return Number((await viaRedis(this.options.client.hget(this.keys(conversationId)[1]!, "last"))) ?? 0);
  }

  async settledSeq(conversationId: string): Promise<number> {
    return Number((await viaRedis(this.options.client.hget(this.keys(conversationId)[1]!, "settled"))) ?? 0);
  }

  async epoch(conversationId: string): Promise<string> {
    return String(await viaRedis(this.scripts.epoch(this.keys(conversationId), [Bun.randomUUIDv7(), this.metaTtlMs])));
  }

  /** Nothing to do: Redis expires a conversation's stream `maxAgeMs` after its last reply ended. */
  async prune(): Promise<void> {}

  async drop(conversationId: string): Promise<void> {
    await viaRedis(this.options.client.del(...this.keys(conversationId)));
  }

  /** The connection belongs to the caller; nothing to release here. */
  async close(): Promise<void> {}

  private keys(conversationId: string): [string, string] {
    const base = `${this.options.prefix}events:{${conversationId}}:`;
    return [`${base}log`, `${base}meta`];
  }
}
