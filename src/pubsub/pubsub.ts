/**
 * Delivery of conversation events from whoever produces them (a worker, possibly on another node)
 * to the sockets that hold the conversation's clients. At-most-once: a subscriber that is not
 * there misses the message (the event log covers resume).
 */
export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  /** Delivers `message` to every current subscriber of `channel`, in publish order per channel. */
  publish(channel: string, message: unknown): Promise<void>;
  /** Calls `handler` for each message published on `channel` after this resolves. */
  subscribe(channel: string, handler: (message: unknown) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

/**
 * A pub/sub whose subscriptions can be cut for a while (Redis reconnecting): whatever was published
 * meanwhile was missed, so subscribers hear when the subscriptions are back to catch up elsewhere.
 */
export interface Interruptible {
  /** Calls `listener` each time the subscriptions are back after an interruption. Returns an unsubscribe function. */
  onResumed(listener: () => void): () => void;
}

export const conversationChannel = (conversationId: string) => `conversation:${conversationId}`;
