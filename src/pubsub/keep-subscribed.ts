import type { PubSub, Unsubscribe } from "./pubsub.ts";

export interface KeptSubscription {
  /** Resolves after the first attempt, subscribed or not. */
  readonly attempted: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Subscribes `handler` to `channel` in the background and, while pub/sub cannot subscribe (Redis
 * unreachable at start), keeps trying every `retryMs`, so a node starts anyway and catches up.
 */
export function keepSubscribed(pubsub: PubSub, channel: string, handler: (message: unknown) => void, retryMs = 2_000): KeptSubscription {
  let stopped = false;
  let unsubscribe: Unsubscribe | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = async (): Promise<void> => {
    try {
      const subscribed = await pubsub.subscribe(channel, handler);
      if (stopped) await subscribed();
      else unsubscribe = subscribed;
    } catch {
      if (stopped) return;
      timer = setTimeout(() => void attempt(), retryMs);
      timer.unref?.();
    }
  };
  return {
    attempted: attempt(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await unsubscribe?.().catch(() => {});
    },
  };
}
