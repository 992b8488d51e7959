import type { Database } from "bun:sqlite";
import type { TaskStore } from "../app-store.ts";
import type { TaskRecord, TaskState } from "../types.ts";
import { GroupCommit } from "../group-commit.ts";
import { now } from "./open.ts";

interface TaskRow {
  id: string;
  conversation_id: string;
  user_id: string;
  client_message_id: string;
  user_message_id: string;
  message_id: string;
  kind: TaskRecord["kind"];
  content: string;
  state: TaskState;
  error: string | null;
  created_at: string;
  updated_at: string;
  attempts: number;
  error_code: string | null;
  started_at: string | null;
  finished_at: string | null;
  cancel_requested: number;
}

const toRecord = (row: TaskRow): TaskRecord => ({
  id: row.id,
  conversationId: row.conversation_id,
  userId: row.user_id,
  clientMessageId: row.client_message_id,
  userMessageId: row.user_message_id,
  messageId: row.message_id,
  kind: row.kind,
  content: row.content,
  state: row.state,
  error: row.error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  attempts: row.attempts,
  errorCode: row.error_code,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  cancelRequested: row.cancel_requested === 1,
});

export class SqliteTaskStore implements TaskStore {
  constructor(
    private readonly db: Database,
    private readonly writes = new GroupCommit(db),
  ) {}

  createOrGet(input: Omit<TaskRecord, "state" | "error" | "createdAt" | "updatedAt">): Promise<{ task: TaskRecord; created: boolean }> {
    return this.writes.run(() => this.insertOrGet(input));
  }

  private insertOrGet(input: Omit<TaskRecord, "state" | "error" | "createdAt" | "updatedAt">): { task: TaskRecord; created: boolean } {
    const at = now();
    const inserted = this.db
      .query(
        `INSERT INTO tasks (id, conversation_id, user_id, client_message_id, user_message_id, message_id, kind, content, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
         ON CONFLICT (conversation_id, client_message_id) DO NOTHING`,
      )
      .run(input.id, input.conversationId, input.userId, input.clientMessageId, input.userMessageId, input.messageId, input.kind, input.content, at, at);
    const row = this.db
      .query("SELECT * FROM tasks WHERE conversation_id = ? AND client_message_id = ?")
      .get(input.conversationId, input.clientMessageId) as TaskRow;
    return { task: toRecord(row), created: inserted.changes === 1 };
  }

  async findById(id: string): Promise<TaskRecord | null> {
    const row = this.db.query("SELECT * FROM tasks WHERE id = ?").get(id) as TaskRow | null;
    return row ? toRecord(row) : null;
  }

  async findByClientMessageId(conversationId: string, clientMessageId: string): Promise<TaskRecord | null> {
    const row = this.db.query("SELECT * FROM tasks WHERE conversation_id = ? AND client_message_id = ?").get(conversationId, clientMessageId) as TaskRow | null;
    return row ? toRecord(row) : null;
  }

  async setState(id: string, state: TaskState, error: string | null = null): Promise<void> {
    this.db.query("UPDATE tasks SET state = ?, error = ?, updated_at = ? WHERE id = ?").run(state, error, now(), id);
  }

  async listByState(states: TaskState[], limit = -1): Promise<TaskRecord[]> {
    const marks = states.map(() => "?").join(", ");
    return (this.db.query(`SELECT * FROM tasks WHERE state IN (${marks}) ORDER BY created_at, id LIMIT ?`).all(...states, limit) as TaskRow[]).map(toRecord);
  }

  async markRunning(id: string, attempt: number): Promise<void> {
    const at = now();
    await this.writes.run(() =>
      this.db
        .query("UPDATE tasks SET state = 'running', attempts = ?, started_at = COALESCE(started_at, ?), error = NULL, error_code = NULL, updated_at = ? WHERE id = ?")
        .run(attempt, at, at, id),
    );
  }

  async finish(id: string, state: TaskState, error: { code: string; message: string } | null = null): Promise<void> {
    const at = now();
    await this.writes.run(() =>
      this.db
        .query("UPDATE tasks SET state = ?, error = ?, error_code = ?, finished_at = ?, updated_at = ? WHERE id = ?")
        .run(state, error?.message ?? null, error?.code ?? null, at, at, id),
    );
  }

  async requeue(id: string): Promise<void> {
    this.db
      .query("UPDATE tasks SET state = 'queued', error = NULL, error_code = NULL, finished_at = NULL, cancel_requested = 0, updated_at = ? WHERE id = ?")
      .run(now(), id);
  }

  async requestCancel(id: string): Promise<void> {
    this.db.query("UPDATE tasks SET cancel_requested = 1, updated_at = ? WHERE id = ?").run(now(), id);
  }

  async listUnfinished(conversationId: string): Promise<TaskRecord[]> {
    return (
      this.db
        .query("SELECT * FROM tasks WHERE conversation_id = ? AND state IN ('queued', 'running') ORDER BY created_at, id")
        .all(conversationId) as TaskRow[]
    ).map(toRecord);
  }

  async latest(conversationId: string): Promise<TaskRecord | null> {
    const row = this.db.query("SELECT * FROM tasks WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT 1").get(conversationId) as TaskRow | null;
    return row ? toRecord(row) : null;
  }
}
