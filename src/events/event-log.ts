import type { Clock } from "../clock.ts";
import type { ConversationEvent, UnsequencedEvent } from "../protocol/index.ts";

/**
 * A conversation's recent events, numbered (`seq`, consecutive from 1 within an `epoch`) and kept
 * for replay on reconnect. An epoch names one unbroken history: a log that lost events (a memory
 * log after a restart) starts a new one. Old events are dropped (see `EventLogOptions`), but never
 * those after the last `message.end`: a reply still being generated can always be replayed whole.
 */
export interface EventLog {
  /** Assigns the next seq and keeps the event. Appends to one conversation are applied in call order. */
  append(conversationId: string, event: UnsequencedEvent): Promise<ConversationEvent>;
  /**
   * The events after `afterSeq`, oldest first; null when the log no longer holds all of them (or
   * `afterSeq` is beyond its newest event): the caller cannot resume from there.
   */
  readAfter(conversationId: string, afterSeq: number): Promise<ConversationEvent[] | null>;
  /** The seq of the conversation's newest event, 0 when none. */
  lastSeq(conversationId: string): Promise<number>;
  /** The seq of the newest `message.end` (0 when none): every later event belongs to a reply still running. */
  settledSeq(conversationId: string): Promise<number>;
  /** The epoch of the conversation's history. */
  epoch(conversationId: string): Promise<string>;
  /** Drops events older than the age limit (of replies that ended). */
  prune(): Promise<void>;
  /** Forgets a conversation (it was deleted). */
  drop(conversationId: string): Promise<void>;
  close(): Promise<void>;
}

export interface EventLogOptions {
  /** Events kept per conversation (more while one reply is still running). */
  maxPerConversation: number;
  /** Events older than this are dropped (unless their reply is still running). */
  maxAgeMs: number;
  clock: Clock;
}
