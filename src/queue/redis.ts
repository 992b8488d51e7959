import { keepSubscribed, type KeptSubscription } from "../pubsub/keep-subscribed.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import type { RedisClient } from "../redis/connection.ts";
import { defineScript, type RedisScript } from "../redis/script.ts";
import { viaRedis } from "../redis/unavailable.ts";
import type { LeasedTask, QueuedTask, TaskQueue } from "./queue.ts";
import { ACK, DEPTH, ENQUEUE, REAP, REMOVE, RENEW, RETRY, TAKE } from "./redis-scripts.ts";

export interface RedisTaskQueueOptions {
  /** The command connection (shared with other parts; the queue does not close it). */
  client: RedisClient;
  /** `redis.key_prefix`: the queue's keys are `<prefix>{queue}:…`. */
  prefix: string;
  leaseMs: number;
  /** Tells the other nodes that a task may be available (channel `queue:available`). */
  pubsub: PubSub;
  /** How often listeners are called anyway: delayed tasks falling due, a missed wake-up. Default 1000. */
  pollMs?: number;
}

type ScriptName = "enqueue" | "take" | "renew" | "ack" | "retry" | "remove" | "reap" | "depth";

/** The pub/sub channel on which nodes wake each other when a task may have become available. */
export const QUEUE_CHANNEL = "queue:available";

/**
 * The shared task queue on Redis: every node takes from it, leases expire on Redis's clock, and a
 * dead node's tasks are reaped by any other node. See `redis-scripts.ts` for the data layout.
 * Calls while Redis is unreachable reject with AppError `redis_unavailable`.
 */
export class RedisTaskQueue implements TaskQueue {
  private readonly listeners = new Set<() => void>();
  private readonly keys: string[];
  private readonly scripts: Record<ScriptName, RedisScript>;
  private readonly id = Bun.randomUUIDv7();
  private readonly poll: ReturnType<typeof setInterval>;
  private subscription?: KeptSubscription;

  private constructor(private readonly options: RedisTaskQueueOptions) {
    const base = `${options.prefix}{queue}:`;
    this.keys = ["seq", "pending", "ready", "leases", "size"].map((name) => base + name);
    const script = (name: string, lua: string) => defineScript(options.client, `agentdQueue${name}`, this.keys.length, lua);
    this.scripts = {
      enqueue: script("Enqueue", ENQUEUE),
      take: script("Take", TAKE),
      renew: script("Renew", RENEW),
      ack: script("Ack", ACK),
      retry: script("Retry", RETRY),
      remove: script("Remove", REMOVE),
      reap: script("Reap", REAP),
      depth: script("Depth", DEPTH),
    };
    this.poll = setInterval(() => {
      if (options.client.status === "ready") this.notifyHere();
    }, options.pollMs ?? 1000);
    this.poll.unref?.();
  }

  /**
   * A queue listening for other nodes' wake-ups. When pub/sub cannot subscribe (Redis unreachable
   * at start) it keeps trying in the background; meanwhile the poll finds other nodes' tasks.
   */
  static async open(options: RedisTaskQueueOptions): Promise<RedisTaskQueue> {
    const queue = new RedisTaskQueue(options);
    queue.subscription = keepSubscribed(options.pubsub, QUEUE_CHANNEL, (message) => {
      if ((message as { from?: string } | null)?.from !== queue.id) queue.notifyHere();
    });
    return queue;
  }

  /** Resolves once the first attempt to listen for other nodes' wake-ups is over (subscribed or not). */
  get listening(): Promise<void> {
    return this.subscription?.attempted ?? Promise.resolve();
  }

  async enqueue(task: QueuedTask, options: { delayMs?: number } = {}): Promise<boolean> {
    const added = await this.run("enqueue", [task.taskId, task.conversationId, JSON.stringify(task), options.delayMs ?? 0]);
    return this.changed(added === 1);
  }

  async take(owner: string): Promise<LeasedTask | null> {
    const taken = (await this.run("take", [owner, this.options.leaseMs])) as [string, number] | null;
    return taken ? { ...(JSON.parse(taken[0]) as QueuedTask), attempt: Number(taken[1]) } : null;
  }

  async renew(owner: string, taskIds: readonly string[]): Promise<string[]> {
    if (taskIds.length === 0) return [];
    return (await this.run("renew", [owner, this.options.leaseMs, ...taskIds])) as string[];
  }

  async ack(taskId: string, owner: string): Promise<boolean> {
    return this.changed((await this.run("ack", [taskId, owner])) === 1);
  }

  async retry(taskId: string, owner: string, delayMs: number): Promise<boolean> {
    return this.changed((await this.run("retry", [taskId, owner, delayMs])) === 1);
  }

  async remove(taskId: string): Promise<boolean> {
    return this.changed((await this.run("remove", [taskId])) === 1);
  }

  async reap(): Promise<number> {
    const reaped = Number(await this.run("reap", []));
    this.changed(reaped > 0);
    return reaped;
  }

  async depth(): Promise<number> {
    return Number(await this.run("depth", []));
  }

  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops listening; the connection stays open (it belongs to the caller). */
  async close(): Promise<void> {
    clearInterval(this.poll);
    this.listeners.clear();
    await this.subscription?.stop();
  }

  private run(name: ScriptName, args: (string | number)[]): Promise<unknown> {
    return viaRedis(this.scripts[name](this.keys, [`${this.options.prefix}{queue}:`, ...args]));
  }

  /** When something changed: wake this node's listeners now and the other nodes over pub/sub. */
  private changed(changed: boolean): boolean {
    if (changed) {
      this.notifyHere();
      void this.options.pubsub.publish(QUEUE_CHANNEL, { from: this.id }).catch(() => {});
    }
    return changed;
  }

  private notifyHere(): void {
    for (const listener of this.listeners) setImmediate(listener);
  }
}
