import type postgres from "postgres";

/** Append-only: the position in the list is the schema version. Never edit a shipped entry. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin','user')),
     active BOOLEAN NOT NULL DEFAULT TRUE,
     created_at TIMESTAMPTZ NOT NULL
   );
   CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
   CREATE TABLE conversations (
     id TEXT PRIMARY KEY,
     owner_id TEXT NOT NULL REFERENCES users(id),
     title TEXT NOT NULL,
     agent TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL,
     updated_at TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX conversations_owner_updated ON conversations (owner_id, updated_at DESC, id DESC);
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users(id),
     family_id TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     expires_at TIMESTAMPTZ NOT NULL,
     rotated_at TIMESTAMPTZ,
     revoked_at TIMESTAMPTZ
   );
   CREATE INDEX sessions_family ON sessions (family_id);
   CREATE INDEX sessions_user ON sessions (user_id);
   CREATE TABLE tasks (
     id TEXT PRIMARY KEY,
     conversation_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     client_message_id TEXT NOT NULL,
     user_message_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     kind TEXT NOT NULL DEFAULT 'message',
     content TEXT NOT NULL,
     state TEXT NOT NULL,
     error TEXT,
     created_at TIMESTAMPTZ NOT NULL,
     updated_at TIMESTAMPTZ NOT NULL,
     UNIQUE (conversation_id, client_message_id)
   );
   CREATE INDEX tasks_state ON tasks (state, created_at);
   CREATE TABLE projects (
     id TEXT PRIMARY KEY,
     owner_id TEXT NOT NULL REFERENCES users(id),
     title TEXT NOT NULL,
     description TEXT NOT NULL,
     type TEXT NOT NULL CHECK (type IN ('app','model','dataset','research','other')),
     tags JSONB NOT NULL,
     links JSONB NOT NULL,
     showcase BOOLEAN NOT NULL DEFAULT FALSE,
     created_at TIMESTAMPTZ NOT NULL,
     updated_at TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX projects_owner_created ON projects (owner_id, created_at DESC);`,
  // Durable work: attempts, timings, error codes, cancel requests.
  `ALTER TABLE tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE tasks ADD COLUMN error_code TEXT;
   ALTER TABLE tasks ADD COLUMN started_at TIMESTAMPTZ;
   ALTER TABLE tasks ADD COLUMN finished_at TIMESTAMPTZ;
   ALTER TABLE tasks ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
   CREATE INDEX tasks_conversation ON tasks (conversation_id, created_at);
   CREATE TABLE guard_reports (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     client_message_id TEXT NOT NULL,
     text TEXT NOT NULL,
     category TEXT NOT NULL,
     score DOUBLE PRECISION NOT NULL,
     pattern_ids JSONB NOT NULL,
     blocked_at TIMESTAMPTZ NOT NULL,
     reported_at TIMESTAMPTZ NOT NULL,
     UNIQUE (user_id, conversation_id, client_message_id)
   );
   CREATE INDEX guard_reports_reported ON guard_reports (reported_at DESC, id DESC);
   CREATE TABLE task_usage (
     task_id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     day DATE NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     created_at TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX task_usage_day_user ON task_usage (day, user_id);`,
  // Every message asks for its conversation's unfinished tasks: read those only, not its whole past.
  `CREATE INDEX tasks_unfinished ON tasks (conversation_id, created_at) WHERE state IN ('queued', 'running');`,
];

export interface MigrationResult {
  /** The version before this run. */
  from: number;
  /** The version now (`MIGRATIONS.length`). */
  to: number;
}

/**
 * Brings `schema` to the newest version, creating it when missing. Runs in one transaction under a
 * transaction-scoped advisory lock keyed on the schema, so nodes starting together apply each step
 * exactly once: the others wait, then find nothing left to do. A failing step rolls everything back.
 */
export async function migrate(sql: postgres.Sql, schema: string): Promise<MigrationResult> {
  return (await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext(${`agentd:app-migrations:${schema}`}))`;
    await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await tx.unsafe(`CREATE TABLE IF NOT EXISTS "${schema}".agentd_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const [row] = await tx.unsafe<{ version: number | null }[]>(`SELECT max(version) AS version FROM "${schema}".agentd_migrations`);
    const from = row?.version ?? 0;
    for (let version = from; version < MIGRATIONS.length; version++) {
      await tx.unsafe(`SET LOCAL search_path TO "${schema}"`);
      await tx.unsafe(MIGRATIONS[version]!);
      await tx.unsafe(`INSERT INTO "${schema}".agentd_migrations (version) VALUES ($1)`, [version + 1]);
    }
    return { from, to: MIGRATIONS.length };
  })) as MigrationResult;
}
