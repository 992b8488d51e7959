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
