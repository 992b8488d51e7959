import type { PubSub, Unsubscribe } from "./pubsub.ts";

/** In-process pub/sub for a single node. Handlers run synchronously in publish order. */
export class MemoryPubSub implements PubSub {
  private readonly channels = new Map<string, Set<(message: unknown) => void>>();

  async publish(channel: string, message: unknown): Promise<void> {
    const handlers = this.channels.get(channel);
    if (!handlers) return;
    for (const handler of [...handlers]) {
      try {
        handler(message);
      } catch (error) {
        console.error("pubsub handler failed", error);
      }
    }
  }

  async subscribe(channel: string, handler: (message: unknown) => void): Promise<Unsubscribe> {
    let handlers = this.channels.get(channel);
    if (!handlers) this.channels.set(channel, (handlers = new Set()));
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.channels.get(channel) === handlers) this.channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
  }

  /** Channels with at least one subscriber (for tests and metrics). */
  get channelCount(): number {
    return this.channels.size;
  }
}
