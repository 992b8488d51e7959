import type { ConversationEvent, UnsequencedEvent } from "../protocol/index.ts";

/**
 * Numbers a conversation's events (`seq`, consecutive from 1 within an `epoch`). An epoch names one
 * unbroken history: a log that lost events (a memory log after a restart) starts a new epoch.
 * (Keeping recent events for replay on reconnect arrives with resumable streams.)
 */
export interface EventLog {
  /** Assigns the next seq. Appends to one conversation are applied in call order. */
  append(conversationId: string, event: UnsequencedEvent): Promise<ConversationEvent>;
  /** The seq of the conversation's newest event, 0 when none. */
  lastSeq(conversationId: string): Promise<number>;
  /** The epoch of the conversation's history. */
  epoch(conversationId: string): Promise<string>;
  /** Forgets a conversation (it was deleted). */
  drop(conversationId: string): Promise<void>;
  close(): Promise<void>;
}
