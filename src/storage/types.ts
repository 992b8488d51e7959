/**
 * App storage: the records agentd keeps besides LangGraph checkpoints. One interface per
 * record kind; `sqlite/` implements them for a single node, `postgres/` for several (postgres.url).
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
  /** What `content` holds: the user's message, or (resume) the JSON of a decision on a paused tool call. */
  kind: "message" | "resume";
  content: string;
  state: TaskState;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  /** Runs started so far (a retry or a re-run after a crash adds one). */
  attempts: number;
  /** The stable code of `error` (e.g. model_error), when the task failed. */
  errorCode: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The owner asked to cancel it; a node about to run it ends it as cancelled instead. */
  cancelRequested: boolean;
}

/** Task states that will not change again (unless an admin retries a failed task). */
export const FINAL_TASK_STATES: readonly TaskState[] = ["succeeded", "failed", "cancelled"];
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

export const PROJECT_TYPES = ["app", "model", "dataset", "research", "other"] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];

export interface ProjectRecord {
  id: string;
  ownerId: string;
  title: string;
  description: string;
  type: ProjectType;
  tags: string[];
  links: string[];
  showcase: boolean;
  createdAt: string;
  updatedAt: string;
}

export type ProjectFields = Pick<ProjectRecord, "title" | "description" | "type" | "tags" | "links" | "showcase">;
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
