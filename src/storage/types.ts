/**
 * App storage: the records agentd keeps besides LangGraph checkpoints. One interface per
 * record kind; `sqlite/` implements them for a single node (Postgres comes with multi-node).
 */

export type Role = "admin" | "user";

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  active: boolean;
  createdAt: string;
}

export interface ConversationRecord {
  id: string;
  ownerId: string;
  title: string;
  agent: string;
  createdAt: string;
  updatedAt: string;
}

export interface SessionRecord {
  id: string;
  userId: string;
  /** Groups the rotated refresh tokens of one login; reuse of a rotated token revokes the family. */
  familyId: string;
  tokenHash: string;
  expiresAt: string;
  /** Set when the token was exchanged for a new one. */
  rotatedAt: string | null;
  revokedAt: string | null;
}

export type TaskState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface TaskRecord {
  id: string;
  conversationId: string;
  userId: string;
  clientMessageId: string;
  /** Id of the user message written into the conversation history. */
  userMessageId: string;
  /** Id of the assistant reply this task produces. */
  messageId: string;
  content: string;
  state: TaskState;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The tokens one task's reply used, as the model provider reported them. */
export interface TaskUsage {
  taskId: string;
  userId: string;
  inputTokens: number;
  outputTokens: number;
}

/** One user's token usage on one UTC day. */
export interface DailyUsage {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  userId: string;
  /** Null when the account was removed. */
  username: string | null;
  /** Replies that reported usage. */
  replies: number;
  inputTokens: number;
  outputTokens: number;
}
