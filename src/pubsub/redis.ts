import type { RedisClient } from "../redis/connection.ts";
import type { Interruptible, PubSub, Unsubscribe } from "./pubsub.ts";

export interface RedisPubSubOptions {
  /** Opens a new connection; called twice: one for commands (publish, large payloads), one for subscriptions. */
  connect: () => RedisClient;
  /** Put before every channel and key name, so deployments (and tests) can share one Redis. */
  prefix: string;
  /** Messages whose JSON is larger travel by reference (see below). Default 64 KiB. */
  inlineMaxBytes?: number;
  /** How long a large message's body stays readable in Redis. Default 60 s. */
  largeMessageTtlMs?: number;
  /** A handler threw, a publish failed, or a large message could not be read back. Default: console.error. */
  onError?: (error: unknown, channel: string) => void;
}

interface ChannelState {
  handlers: Set<(message: unknown) => void>;
  /** Resolves when Redis confirmed the SUBSCRIBE. */
  subscribed: Promise<unknown>;
  /** The last delivery; the next waits for it, so a large message read back from Redis keeps its place. */
  delivery: Promise<void>;
}

const INLINE = "i";
const REFERENCE = "r";

/**
 * Pub/sub across nodes on Redis PUBLISH/SUBSCRIBE. One subscriber connection per instance carries
 * every channel this node listens to; local handlers are multiplexed over it.
 *
 * Large messages: Redis disconnects a subscriber whose output buffer passes
 * `client-output-buffer-limit pubsub` (by default 32 MB at once, or 8 MB for 60 s), and everything
 * queued for that connection is lost. So a message whose JSON exceeds `inlineMaxBytes` is not
 * published itself: its body is SET under a key that expires after `largeMessageTtlMs`, and only a
 * short reference is published; subscribers GET the body over their command connection, which has no
 * such limit. Per-channel order is kept on both sides (publishes of a channel wait behind a large
 * one; deliveries wait for a body being read back).
 *
 * At-most-once, like the interface says: while Redis is unreachable, a publish gives up after the
 * connection's retries, reports the failure to `onError` and resolves (the message is lost, as for a
 * subscriber that is not there; callers chain publishes, and one rejection would stop the rest of a
 * reply). Subscribers miss what was published meanwhile; ioredis reconnects and re-subscribes by itself.
 */
export class RedisPubSub implements PubSub, Interruptible {
  private readonly commands: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly channels = new Map<string, ChannelState>();
  private readonly publishing = new Map<string, Promise<void>>();
  private readonly inlineMaxBytes: number;
  private readonly largeMessageTtlMs: number;
  private readonly onError: (error: unknown, channel: string) => void;
  private readonly resumedListeners = new Set<() => void>();
  private subscriberWasReady = false;

  constructor(private readonly options: RedisPubSubOptions) {
    this.commands = options.connect();
    this.subscriber = options.connect();
    this.inlineMaxBytes = options.inlineMaxBytes ?? 64 * 1024;
    this.largeMessageTtlMs = options.largeMessageTtlMs ?? 60_000;
    this.onError = options.onError ?? ((error, channel) => console.error("pubsub handler failed", channel, error));
    // Connection errors are retried by ioredis; without a listener each would be an uncaught 'error' event.
    this.commands.on("error", () => {});
    this.subscriber.on("error", () => {});
    this.subscriber.on("message", (channel: string, payload: string) => this.received(channel, payload));
    // ioredis re-sends the SUBSCRIBEs on a reconnect before anything else; 'ready' after the first means "back".
    this.subscriber.on("ready", () => {
      if (this.subscriberWasReady) for (const listener of [...this.resumedListeners]) listener();
      this.subscriberWasReady = true;
    });
  }

  onResumed(listener: () => void): () => void {
    this.resumedListeners.add(listener);
    return () => this.resumedListeners.delete(listener);
  }

  async publish(channel: string, message: unknown): Promise<void> {
    await this.send(channel, message).catch((error: unknown) => this.onError(error, channel));
  }

  private async send(channel: string, message: unknown): Promise<void> {
    const key = this.options.prefix + channel;
    const json = JSON.stringify(message) ?? "null";
    const large = Buffer.byteLength(json) > this.inlineMaxBytes;
    const before = this.publishing.get(key);
    if (!before && !large) {
      await this.commands.publish(key, INLINE + json);
      return;
    }
    const sent = (async () => {
      await before?.catch(() => {});
      if (!large) {
        await this.commands.publish(key, INLINE + json);
        return;
      }
      const bodyKey = `${this.options.prefix}pubsub:large:${Bun.randomUUIDv7()}`;
      await this.commands.set(bodyKey, json, "PX", this.largeMessageTtlMs);
      await this.commands.publish(key, REFERENCE + bodyKey);
    })();
    this.publishing.set(key, sent);
    try {
      await sent;
    } finally {
      if (this.publishing.get(key) === sent) this.publishing.delete(key);
    }
  }

  async subscribe(channel: string, handler: (message: unknown) => void): Promise<Unsubscribe> {
    const key = this.options.prefix + channel;
    let state = this.channels.get(key);
    if (!state) {
      // Commands on one connection run in order, so SUBSCRIBE after an UNSUBSCRIBE still in flight wins.
      state = { handlers: new Set(), subscribed: this.subscriber.subscribe(key), delivery: Promise.resolve() };
      this.channels.set(key, state);
    }
    const current = state;
    current.handlers.add(handler);
    try {
      await current.subscribed;
    } catch (error) {
      this.drop(key, current, handler);
      throw error;
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      await this.drop(key, current, handler);
    };
  }

  /** Throws unless both connections are up and Redis answers (for /readyz); never waits for a reconnect. */
  async ping(): Promise<void> {
    for (const [name, connection] of [["subscriber", this.subscriber], ["command", this.commands]] as const) {
      if (connection.status !== "ready") throw new Error(`the ${name} connection to Redis is ${connection.status}`);
    }
    await this.commands.ping();
  }

  async close(): Promise<void> {
    this.channels.clear();
    // quit() waits for pending commands, which never finish while Redis is unreachable: drop the socket then.
    const stop = async (client: RedisClient) => (client.status === "ready" ? void (await client.quit().catch(() => {})) : client.disconnect());
    await Promise.all([stop(this.commands), stop(this.subscriber)]);
  }

  private async drop(key: string, state: ChannelState, handler: (message: unknown) => void): Promise<void> {
    state.handlers.delete(handler);
    if (state.handlers.size > 0 || this.channels.get(key) !== state) return;
    this.channels.delete(key);
    await this.subscriber.unsubscribe(key).catch(() => {});
  }

  private received(key: string, payload: string): void {
    const state = this.channels.get(key);
    if (!state) return;
    const channel = key.slice(this.options.prefix.length);
    const body = payload.startsWith(REFERENCE) ? this.commands.get(payload.slice(REFERENCE.length)) : payload.slice(INLINE.length);
    state.delivery = state.delivery.then(async () => {
      let message: unknown;
      try {
        const json = await body;
        if (json === null) throw new Error(`a large message on ${channel} expired before it was read`);
        message = JSON.parse(json);
      } catch (error) {
        this.onError(error, channel);
        return;
      }
      for (const handler of [...state.handlers]) {
        try {
          handler(message);
        } catch (error) {
          this.onError(error, channel);
        }
      }
    });
  }
}
