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
  attempts: number;
  error_code: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  cancel_requested: boolean;
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
  attempts: row.attempts,
  errorCode: row.error_code,
  startedAt: row.started_at ? iso(row.started_at) : null,
  finishedAt: row.finished_at ? iso(row.finished_at) : null,
  cancelRequested: row.cancel_requested,
});

const now = () => new Date().toISOString();

export class PostgresTaskStore implements TaskStore {
  constructor(private readonly sql: postgres.Sql) {}

  /**
   * INSERT … ON CONFLICT DO NOTHING, then read the row: a concurrent insert of the same
   * (conversation, clientMessageId) on another node waits for the first to commit and then reads it.
   */
  async createOrGet(
    input: Pick<TaskRecord, "id" | "conversationId" | "userId" | "clientMessageId" | "userMessageId" | "messageId" | "content" | "kind">,
  ): Promise<{ task: TaskRecord; created: boolean }> {
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

  async listByState(states: TaskState[], limit?: number): Promise<TaskRecord[]> {
    if (states.length === 0) return [];
    const rows = limit === undefined || limit < 0
      ? await this.sql<TaskRow[]>`SELECT * FROM tasks WHERE state IN ${this.sql(states)} ORDER BY created_at, id`
      : await this.sql<TaskRow[]>`SELECT * FROM tasks WHERE state IN ${this.sql(states)} ORDER BY created_at, id LIMIT ${limit}`;
    return rows.map(toRecord);
  }

  async markRunning(id: string, attempt: number): Promise<void> {
    const at = now();
    await this.sql`UPDATE tasks SET state = 'running', attempts = ${attempt}, started_at = COALESCE(started_at, ${at}),
      error = NULL, error_code = NULL, updated_at = ${at} WHERE id = ${id}`;
  }

  async finish(id: string, state: TaskState, error: { code: string; message: string } | null = null): Promise<void> {
    const at = now();
    await this.sql`UPDATE tasks SET state = ${state}, error = ${error?.message ?? null}, error_code = ${error?.code ?? null},
      finished_at = ${at}, updated_at = ${at} WHERE id = ${id}`;
  }

  async requeue(id: string): Promise<void> {
    await this.sql`UPDATE tasks SET state = 'queued', error = NULL, error_code = NULL, finished_at = NULL,
      cancel_requested = FALSE, updated_at = ${now()} WHERE id = ${id}`;
  }

  async requestCancel(id: string): Promise<void> {
    await this.sql`UPDATE tasks SET cancel_requested = TRUE, updated_at = ${now()} WHERE id = ${id}`;
  }

  async listUnfinished(conversationId: string): Promise<TaskRecord[]> {
    return (
      await this.sql<TaskRow[]>`SELECT * FROM tasks WHERE conversation_id = ${conversationId} AND state IN ('queued', 'running') ORDER BY created_at, id`
    ).map(toRecord);
  }

  async latest(conversationId: string): Promise<TaskRecord | null> {
    const [row] = await this.sql<TaskRow[]>`SELECT * FROM tasks WHERE conversation_id = ${conversationId} ORDER BY created_at DESC, id DESC LIMIT 1`;
    return row ? toRecord(row) : null;
  }
}
