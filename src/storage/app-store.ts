import type { ConversationRecord, DailyUsage, Page, Role, SessionRecord, TaskRecord, TaskState, TaskUsage, User } from "./types.ts";

export interface UserStore {
  /** Throws AppError `conflict` when the username is taken. */
  create(input: { username: string; passwordHash: string; role: Role }): Promise<User>;
  findById(id: string): Promise<User | null>;
  findByUsername(username: string): Promise<User | null>;
  list(): Promise<User[]>;
  setActive(id: string, active: boolean): Promise<void>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
}

export interface ConversationStore {
  create(input: { ownerId: string; title: string; agent: string }): Promise<ConversationRecord>;
  findById(id: string): Promise<ConversationRecord | null>;
  /** The owner's conversations, most recently updated first; `cursor` comes from the previous page. */
  listByOwner(ownerId: string, options: { limit: number; cursor?: string }): Promise<Page<ConversationRecord>>;
  rename(id: string, title: string): Promise<void>;
  /** Marks the conversation as updated now (it moves to the top of the list). */
  touch(id: string): Promise<void>;
  /** Removes the conversation and its tasks. */
  delete(id: string): Promise<void>;
}

export interface SessionStore {
  create(input: { userId: string; familyId: string; tokenHash: string; expiresAt: Date }): Promise<SessionRecord>;
  findByTokenHash(tokenHash: string): Promise<SessionRecord | null>;
  findById(id: string): Promise<SessionRecord | null>;
  /** Atomically marks `id` rotated; false when it was already rotated or revoked (a replay). */
  markRotated(id: string): Promise<boolean>;
  revoke(id: string): Promise<void>;
  revokeFamily(familyId: string): Promise<void>;
  revokeAllForUser(userId: string): Promise<void>;
}

export interface TaskStore {
  /**
   * Stores a new task, or returns the one already accepted for the same
   * (conversationId, clientMessageId) with `created: false` — the basis of idempotent send.
   */
  createOrGet(input: Omit<TaskRecord, "state" | "error" | "createdAt" | "updatedAt">): Promise<{ task: TaskRecord; created: boolean }>;
  findById(id: string): Promise<TaskRecord | null>;
  setState(id: string, state: TaskState, error?: string | null): Promise<void>;
  /** Tasks in one of `states`, oldest first. */
  listByState(states: TaskState[]): Promise<TaskRecord[]>;
}

export interface UsageStore {
  /** Stores a task's usage, dated now (UTC); a second call for the same task changes nothing. */
  record(usage: TaskUsage): Promise<void>;
  /** Tokens per user per UTC day for days `from`..`to` (`YYYY-MM-DD`, inclusive), newest day first. */
  dailyByUser(range: { from: string; to: string }): Promise<DailyUsage[]>;
}

/** Everything the app stores outside the checkpoints. */
export interface AppStore {
  users: UserStore;
  conversations: ConversationStore;
  sessions: SessionStore;
  tasks: TaskStore;
  usage: UsageStore;
  /** Throws when the storage cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
