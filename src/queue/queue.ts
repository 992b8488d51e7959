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

/**
 * The task queue between accepting a message and running it. Tasks of one conversation are handed
 * out one at a time, in enqueue order: `take` skips conversations that have a task held.
 */
export interface TaskQueue {
  enqueue(task: QueuedTask): Promise<void>;
  /** Hands out the oldest task whose conversation has no held task, and holds it; null if none. */
  take(): Promise<QueuedTask | null>;
  /** Releases a held task for good (it finished, failed or was cancelled). */
  ack(taskId: string): Promise<void>;
  /** Tasks waiting (not held). */
  depth(): Promise<number>;
  /** Called whenever a task may have become available to `take`. Returns an unsubscribe function. */
  onAvailable(listener: () => void): () => void;
  close(): Promise<void>;
}
