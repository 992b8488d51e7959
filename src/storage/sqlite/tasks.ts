import type { Database } from "bun:sqlite";
import type { TaskStore } from "../app-store.ts";
import type { TaskRecord, TaskState } from "../types.ts";
import { now } from "./open.ts";

interface TaskRow {
  id: string;
  conversation_id: string;
  user_id: string;
  client_message_id: string;
  user_message_id: string;
  message_id: string;
  content: string;
  state: TaskState;
  error: string | null;
  created_at: string;
  updated_at: string;
}

const toRecord = (row: TaskRow): TaskRecord => ({
  id: row.id,
  conversationId: row.conversation_id,
  userId: row.user_id,
  clientMessageId: row.client_message_id,
  userMessageId: row.user_message_id,
  messageId: row.message_id,
  content: row.content,
  state: row.state,
  error: row.error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class SqliteTaskStore implements TaskStore {
  constructor(private readonly db: Database) {}

  async createOrGet(
    input: Omit<TaskRecord, "state" | "error" | "createdAt" | "updatedAt">,
  ): Promise<{ task: TaskRecord; created: boolean }> {
    const at = now();
    const inserted = this.db
      .query(
        `INSERT INTO tasks (id, conversation_id, user_id, client_message_id, user_message_id, message_id, content, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
         ON CONFLICT (conversation_id, client_message_id) DO NOTHING`,
      )
      .run(input.id, input.conversationId, input.userId, input.clientMessageId, input.userMessageId, input.messageId, input.content, at, at);
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
    const row = this.db
      .query("SELECT * FROM tasks WHERE conversation_id = ? AND client_message_id = ?")
      .get(conversationId, clientMessageId) as TaskRow | null;
    return row ? toRecord(row) : null;
  }

  async setState(id: string, state: TaskState, error: string | null = null): Promise<void> {
    this.db.query("UPDATE tasks SET state = ?, error = ?, updated_at = ? WHERE id = ?").run(state, error, now(), id);
  }

  async listByState(states: TaskState[]): Promise<TaskRecord[]> {
    const marks = states.map(() => "?").join(", ");
    return (this.db.query(`SELECT * FROM tasks WHERE state IN (${marks}) ORDER BY created_at, id`).all(...states) as TaskRow[]).map(toRecord);
  }
}
