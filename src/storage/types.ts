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

/** A blocked message its sender reported as a false positive, kept for admins to review. */
export interface GuardReportRecord {
  id: string;
  userId: string;
  /** The sender's username at listing time (null when the account is gone). */
  username: string | null;
  conversationId: string;
  clientMessageId: string;
  /** The blocked text, exactly as sent. */
  text: string;
  category: string;
  score: number;
  /** The guard rules that fired. */
  patternIds: string[];
  blockedAt: string;
  reportedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
