import type postgres from "postgres";
import type { TaskStore } from "../app-store.ts";
import type { TaskRecord, TaskState } from "../types.ts";
import { iso } from "./connect.ts";

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
  created_at: Date;
  updated_at: Date;
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
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

export class PostgresTaskStore implements TaskStore {
  constructor(private readonly sql: postgres.Sql) {}

  /**
   * INSERT … ON CONFLICT DO NOTHING, then read the row: a concurrent insert of the same
   * (conversation, clientMessageId) on another node waits for the first to commit and then reads it.
   */
  async createOrGet(input: Omit<TaskRecord, "state" | "error" | "createdAt" | "updatedAt">): Promise<{ task: TaskRecord; created: boolean }> {
    const at = new Date().toISOString();
    const [inserted] = await this.sql<TaskRow[]>`INSERT INTO tasks
        (id, conversation_id, user_id, client_message_id, user_message_id, message_id, kind, content, state, created_at, updated_at)
      VALUES (${input.id}, ${input.conversationId}, ${input.userId}, ${input.clientMessageId}, ${input.userMessageId},
        ${input.messageId}, ${input.kind}, ${input.content}, 'queued', ${at}, ${at})
      ON CONFLICT (conversation_id, client_message_id) DO NOTHING
      RETURNING *`;
    if (inserted) return { task: toRecord(inserted), created: true };
    const existing = await this.findByClientMessageId(input.conversationId, input.clientMessageId);
    return { task: existing!, created: false };
  }

  async findById(id: string): Promise<TaskRecord | null> {
    const [row] = await this.sql<TaskRow[]>`SELECT * FROM tasks WHERE id = ${id}`;
    return row ? toRecord(row) : null;
  }

  async findByClientMessageId(conversationId: string, clientMessageId: string): Promise<TaskRecord | null> {
    const [row] = await this.sql<TaskRow[]>`SELECT * FROM tasks WHERE conversation_id = ${conversationId} AND client_message_id = ${clientMessageId}`;
    return row ? toRecord(row) : null;
  }

  async setState(id: string, state: TaskState, error: string | null = null): Promise<void> {
    await this.sql`UPDATE tasks SET state = ${state}, error = ${error}, updated_at = ${new Date().toISOString()} WHERE id = ${id}`;
  }

  async listByState(states: TaskState[]): Promise<TaskRecord[]> {
    if (states.length === 0) return [];
    return (await this.sql<TaskRow[]>`SELECT * FROM tasks WHERE state IN ${this.sql(states)} ORDER BY created_at, id`).map(toRecord);
  }
}
