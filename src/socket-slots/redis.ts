import { keepSubscribed, type KeptSubscription } from "../pubsub/keep-subscribed.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import type { RedisClient } from "../redis/connection.ts";
import { defineScript, type RedisScript } from "../redis/script.ts";
import { viaRedis } from "../redis/unavailable.ts";
import { ACQUIRE, COUNT_IP, REFRESH, RELEASE } from "./redis-scripts.ts";
import type { Admission, SocketCaps, SocketPlace, SocketSlots } from "./socket-slots.ts";

export interface RedisSocketSlotsOptions {
  /** The command connection (shared with other parts). */
  client: RedisClient;
  /** `redis.key_prefix`: keys are `<prefix>{sockets}:…`. */
  prefix: string;
  /** Carries the ids of replaced sockets to every node (channel `sockets:replaced`). */
  pubsub: PubSub;
  /** How long a place lives without a refresh (a dead node's sockets stop counting after this). */
  ttlMs: number;
}

const REPLACED_CHANNEL = "sockets:replaced";

/**
 * Socket counts shared by every node on Redis; each step is one Lua script (see redis-scripts.ts).
 * Calls while Redis is unreachable reject with AppError `redis_unavailable`.
 */
export class RedisSocketSlots implements SocketSlots {
  private readonly scripts: Record<"acquire" | "release" | "refresh" | "countIp", RedisScript>;
  private readonly keys: string[];
  private readonly base: string;
  private readonly handlers: ((socketIds: string[]) => void)[] = [];
  private subscription?: KeptSubscription;

  private constructor(private readonly options: RedisSocketSlotsOptions) {
    this.base = `${options.prefix}{sockets}:`;
    this.keys = [`${this.base}alive`, `${this.base}info`];
    const script = (name: string, lua: string) => defineScript(options.client, `agentdSockets${name}`, 2, lua);
    this.scripts = { acquire: script("Acquire", ACQUIRE), release: script("Release", RELEASE), refresh: script("Refresh", REFRESH), countIp: script("CountIp", COUNT_IP) };
  }

  /** Slots listening for replacements announced by any node (subscribing in the background while Redis is unreachable). */
  static async open(options: RedisSocketSlotsOptions): Promise<RedisSocketSlots> {
    const slots = new RedisSocketSlots(options);
    slots.subscription = keepSubscribed(options.pubsub, REPLACED_CHANNEL, (message) => {
      const ids = (message as { socketIds?: unknown } | null)?.socketIds;
      if (Array.isArray(ids)) for (const handler of slots.handlers) handler(ids.map(String));
    });
    return slots;
  }

  /** Resolves once the first attempt to listen for replacements is over (subscribed or not). */
  get listening(): Promise<void> {
    return this.subscription?.attempted ?? Promise.resolve();
  }

  async countIp(ip: string): Promise<number> {
    return Number(await this.run("countIp", [ip]));
  }

  async acquire(place: SocketPlace, caps: SocketCaps): Promise<Admission> {
    const { socketId, userId, ip } = place;
    const [admitted, ...rest] = (await this.run("acquire", [socketId, userId, ip, caps.perUser, caps.perIp, caps.policy, this.options.ttlMs])) as [number, ...string[]];
    if (admitted !== 1) return { admitted: false, rule: rest[0] as "sockets_per_user" | "sockets_per_ip" };
    if (rest.length > 0) await this.options.pubsub.publish(REPLACED_CHANNEL, { socketIds: rest });
    return { admitted: true, replaced: rest };
  }

  async release(place: SocketPlace): Promise<void> {
    await this.run("release", [place.socketId]);
  }

  async refresh(socketIds: readonly string[]): Promise<void> {
    if (socketIds.length > 0) await this.run("refresh", [this.options.ttlMs, ...socketIds]);
  }

  onReplaced(handler: (socketIds: string[]) => void): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    this.handlers.length = 0;
    await this.subscription?.stop();
  }

  private run(name: keyof RedisSocketSlots["scripts"], args: (string | number)[]): Promise<unknown> {
    return viaRedis(this.scripts[name](this.keys, [this.base, ...args]));
  }
}
