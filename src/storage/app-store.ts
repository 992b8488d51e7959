import type { ConversationRecord, DailyUsage, GuardReportRecord, Page, ProjectFields, ProjectRecord, Role, SessionRecord, TaskRecord, TaskState, TaskUsage, User } from "./types.ts";

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
  createOrGet(
    input: Pick<TaskRecord, "id" | "conversationId" | "userId" | "clientMessageId" | "userMessageId" | "messageId" | "content" | "kind">,
  ): Promise<{ task: TaskRecord; created: boolean }>;
  findById(id: string): Promise<TaskRecord | null>;
  /** The task accepted for `clientMessageId` in the conversation, or null. */
  findByClientMessageId(conversationId: string, clientMessageId: string): Promise<TaskRecord | null>;
  setState(id: string, state: TaskState, error?: string | null): Promise<void>;
  /** Tasks in one of `states`, oldest first (at most `limit`). */
  listByState(states: TaskState[], limit?: number): Promise<TaskRecord[]>;
  /** Marks a run as started: state running, `attempts` = attempt, startedAt set on the first run. */
  markRunning(id: string, attempt: number): Promise<void>;
  /** Records how the task ended; `error` when it did not succeed. */
  finish(id: string, state: TaskState, error?: { code: string; message: string } | null): Promise<void>;
  /** Puts the task back to queued (a retry): clears its error, end time and cancel request. */
  requeue(id: string): Promise<void>;
  /** Records that the owner asked to cancel the task. */
  requestCancel(id: string): Promise<void>;
  /** The conversation's tasks that are queued or running, oldest first. */
  listUnfinished(conversationId: string): Promise<TaskRecord[]>;
  /** The conversation's newest task, or null. */
  latest(conversationId: string): Promise<TaskRecord | null>;
}

/** Showcase projects. Every method takes the owner: nothing here reads or writes another user's project. */
export interface ProjectStore {
  create(ownerId: string, fields: ProjectFields): Promise<ProjectRecord>;
  /** The project if `ownerId` owns it, else null (a missing and a foreign project look the same). */
  findOwned(ownerId: string, id: string): Promise<ProjectRecord | null>;
  /** Applies `changes` to the owner's project; null when there is no such project of theirs. */
  updateOwned(ownerId: string, id: string, changes: Partial<ProjectFields>): Promise<ProjectRecord | null>;
  /** The owner's projects, newest first. */
  listOwned(ownerId: string): Promise<ProjectRecord[]>;
  /** How many projects `ownerId` created at or after `since` (the per-user project rate). */
  countCreatedSince(ownerId: string, since: Date): Promise<number>;
}

export interface GuardReportStore {
  /**
   * Stores a report, or returns the one already stored for the same (userId, conversationId,
   * clientMessageId): reporting twice is one report.
   */
  createOrGet(input: Omit<GuardReportRecord, "id" | "username">): Promise<GuardReportRecord>;
  /** Newest first; `cursor` comes from the previous page. */
  list(options: { limit: number; cursor?: string }): Promise<Page<GuardReportRecord>>;
  /** Deletes reports made before `cutoff`; resolves how many. */
  deleteReportedBefore(cutoff: Date): Promise<number>;
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
  projects: ProjectStore;
  guardReports: GuardReportStore;
  usage: UsageStore;
  /** Throws when the storage cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
