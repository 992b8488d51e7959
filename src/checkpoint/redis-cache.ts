import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type PendingWrite,
} from "@langchain/langgraph-checkpoint";
import type { RedisClient } from "../redis/connection.ts";
import { defineScript, type RedisScript } from "../redis/script.ts";
import { BEGIN_WRITE, END_WRITE, FILL, READ } from "./redis-cache-scripts.ts";

export interface CachedSaverOptions {
  /** A connection of this thread's own (the cache watches its reconnects). */
  client: RedisClient;
  /** `redis.key_prefix`. */
  prefix: string;
  /** `cache.ttl`: a thread's entries live this long after their last use. */
  ttlMs: number;
  /** How long a write may hold back refills if its node dies mid-write. Default 60 s. */
  busyMs?: number;
  /** A cache call failed (the saver then reads Postgres directly). */
  onError?: (error: unknown) => void;
}

const JSON_TYPE = "json";

/**
 * A two-tier checkpointer: Redis in front of another saver (Postgres), shared by every node.
 * `getTuple` answers from Redis when it can (refreshing the thread's TTL), else from the saver
 * behind, and fills Redis; `put` writes through (the saver, then the new latest tuple into Redis);
 * `putWrites` and `deleteThread` invalidate the thread; `list` and the rest go to the saver.
 *
 * No node reads a stale checkpoint: a write drops the thread's entries before touching the saver,
 * and refills are refused while a write is under way or after one happened (see
 * redis-cache-scripts.ts). A write whose invalidation cannot reach Redis is not made (it rejects),
 * since it could leave a stale entry behind; a read that cannot reach Redis goes to the saver.
 *
 * Keys include the Redis server's run id: entries a restarted Redis brought back from its
 * append-only file (which may predate invalidations it lost) are never read.
 */
export class CachedCheckpointSaver extends BaseCheckpointSaver {
  private readonly scripts: Record<"read" | "fill" | "begin" | "end", RedisScript>;
  private runId?: Promise<string>;

  constructor(
    readonly inner: BaseCheckpointSaver,
    private readonly options: CachedSaverOptions,
  ) {
    super(inner.serde);
    const { client } = options;
    this.scripts = {
      read: defineScript(client, "agentdCheckpointRead", 3, READ),
      fill: defineScript(client, "agentdCheckpointFill", 3, FILL),
      begin: defineScript(client, "agentdCheckpointBegin", 3, BEGIN_WRITE),
      end: defineScript(client, "agentdCheckpointEnd", 3, END_WRITE),
    };
    // Another server (or the same one restarted) may answer after a reconnect: learn its run id again.
    client.on("close", () => (this.runId = undefined));
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { thread_id: thread, checkpoint_ns: ns = "", checkpoint_id: id } = config.configurable ?? {};
    if (typeof thread !== "string" && typeof thread !== "number") return this.inner.getTuple(config);
    const field = id ? `id:${ns}:${id}` : `latest:${ns}`;
    let keys: string[];
    let ver: string;
    try {
      keys = await this.keys(String(thread));
      const [cached, seen] = (await this.scripts.read(keys, [field, this.options.ttlMs])) as [string | null, string];
      if (cached !== null) return (await this.decode(cached)) as CheckpointTuple;
      ver = seen;
    } catch (error) {
      this.options.onError?.(error);
      return this.inner.getTuple(config);
    }
    const tuple = await this.inner.getTuple(config);
    if (tuple) await this.scripts.fill(keys, [field, await this.encode(tuple), ver, this.options.ttlMs]).catch((error) => this.options.onError?.(error));
    return tuple;
  }

  list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    return this.inner.list(config, options);
  }

  async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    return this.write(config.configurable?.thread_id, () => this.inner.put(config, checkpoint, metadata, newVersions), async (next) => {
      // Write-through: the thread's latest tuple (and the same under its id), read back as the saver stores it.
      const ns = next.configurable?.checkpoint_ns ?? "";
      const latest = await this.inner.getTuple({ configurable: { thread_id: next.configurable?.thread_id, checkpoint_ns: ns } });
      if (!latest) return [];
      const encoded = await this.encode(latest);
      return [`latest:${ns}`, encoded, `id:${ns}:${latest.config.configurable?.checkpoint_id}`, encoded];
    });
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    await this.write(config.configurable?.thread_id, () => this.inner.putWrites(config, writes, taskId, taskPath));
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.write(threadId, () => this.inner.deleteThread(threadId));
  }

  override getDeltaChannelHistory(options: Parameters<BaseCheckpointSaver["getDeltaChannelHistory"]>[0]) {
    return this.inner.getDeltaChannelHistory(options);
  }

  override getNextVersion(current: number | undefined): number {
    return this.inner.getNextVersion(current);
  }

  /**
   * Runs a write to the saver between the thread's invalidation and its end, storing what
   * `through` returns (field/value pairs) when no other write overlapped. Rejects, without writing,
   * when Redis cannot be told first.
   */
  private async write<T>(thread: unknown, run: () => Promise<T>, through?: (result: T) => Promise<string[]>): Promise<T> {
    if (typeof thread !== "string" && typeof thread !== "number") return run();
    const keys = await this.keys(String(thread));
    const ver = String(await this.scripts.begin(keys, [this.options.busyMs ?? 60_000]));
    let pairs: string[] = [];
    try {
      const result = await run();
      pairs = through ? await through(result).catch(() => []) : [];
      return result;
    } finally {
      // On failure too: the write is over. If Redis cannot be told, the entries were dropped at the start and refills wait for `busy` to expire.
      await this.scripts.end(keys, [ver, this.options.ttlMs, ...pairs]).catch((error) => this.options.onError?.(error));
    }
  }

  private async keys(thread: string): Promise<string[]> {
    const base = `${this.options.prefix}checkpoints:{${await this.serverRunId()}:${thread}}:`;
    return [`${base}t`, `${base}ver`, `${base}busy`];
  }

  private serverRunId(): Promise<string> {
    const fetched = (this.runId ??= this.options.client.info("server").then((info) => {
      const runId = /run_id:(\w+)/.exec(info)?.[1];
      if (!runId) throw new Error("Redis did not report its run_id");
      return runId;
    }));
    fetched.catch(() => {
      if (this.runId === fetched) this.runId = undefined;
    });
    return fetched;
  }

  private async encode(tuple: CheckpointTuple): Promise<string> {
    const [type, bytes] = await this.serde.dumpsTyped(tuple);
    return type === JSON_TYPE ? `j${new TextDecoder().decode(bytes)}` : `b${type}\n${Buffer.from(bytes).toString("base64")}`;
  }

  private async decode(stored: string): Promise<unknown> {
    if (stored.startsWith("j")) return this.serde.loadsTyped(JSON_TYPE, stored.slice(1));
    const newline = stored.indexOf("\n");
    return this.serde.loadsTyped(stored.slice(1, newline), Buffer.from(stored.slice(newline + 1), "base64"));
  }
}
