import type { Clock } from "../clock.ts";

/** A task waiting to be run: what a worker needs, nothing more. */
export interface QueuedTask {
  taskId: string;
  conversationId: string;
  userId: string;
  agent: string;
  userMessageId: string;
  messageId: string;
  content: string;
  /** Set when the task resumes a tool call paused for the member's confirmation, instead of sending `content`. */
  resume?: ToolDecision;
}

/** The member's answer to a paused tool call. */
export interface ToolDecision {
  /** The LangGraph interrupt to resume. */
  interruptId: string;
  toolCallId: string;
  approved: boolean;
  reason?: string;
}

/** A task handed to one owner (a node) for a limited time. */
export interface LeasedTask extends QueuedTask {
  /** How many times the task has been leased, this one included (1 on the first run). */
  attempt: number;
}

/** What every queue implementation is built with. */
export interface TaskQueueOptions {
  /** How long a lease lasts unless renewed. */
  leaseMs: number;
  clock: Clock;
}

/**
 * The durable hand-over between accepting a message and running it. Tasks of one conversation are
 * handed out one at a time, in enqueue order: a conversation whose oldest task is leased, or not
 * due yet, has nothing to take. A lease that is neither renewed, acked nor retried before it
 * expires is given back by `reap` (the owner died), and the task runs again elsewhere.
 */
export interface TaskQueue {
  /** Adds a task (due after `delayMs`). Idempotent: false when the task is already queued or leased. */
  enqueue(task: QueuedTask, options?: { delayMs?: number }): Promise<boolean>;
  /** Leases the oldest due task whose conversation has no earlier task, to `owner`; null if none. */
  take(owner: string): Promise<LeasedTask | null>;
  /** Extends `owner`'s leases on `taskIds`; returns the ids whose lease `owner` no longer holds. */
  renew(owner: string, taskIds: readonly string[]): Promise<string[]>;
  /** Removes a leased task for good (it ended). False when `owner` no longer held its lease. */
  ack(taskId: string, owner: string): Promise<boolean>;
  /** Gives a leased task back, due again after `delayMs`, keeping its place in its conversation. */
  retry(taskId: string, owner: string, delayMs: number): Promise<boolean>;
  /** Removes a task that is waiting (not leased); false when it is leased or unknown. */
  remove(taskId: string): Promise<boolean>;
  /** Gives back every expired lease; returns how many. */
  reap(): Promise<number>;
  /** Tasks waiting (not leased). */
  depth(): Promise<number>;
  /** Called whenever a task may have become available to `take` on this node. Returns an unsubscribe function. */
  onAvailable(listener: () => void): () => void;
  close(): Promise<void>;
}
