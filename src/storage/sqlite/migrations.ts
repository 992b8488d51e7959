import type { Database } from "bun:sqlite";

/** Append-only: the position in the list is the schema version. Never edit a shipped entry. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL UNIQUE COLLATE NOCASE,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin','user')),
     active INTEGER NOT NULL DEFAULT 1,
     created_at TEXT NOT NULL
   );
   CREATE TABLE conversations (
     id TEXT PRIMARY KEY,
     owner_id TEXT NOT NULL REFERENCES users(id),
     title TEXT NOT NULL,
     agent TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX conversations_owner_updated ON conversations(owner_id, updated_at DESC, id DESC);
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users(id),
     family_id TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     expires_at TEXT NOT NULL,
     rotated_at TEXT,
     revoked_at TEXT
   );
   CREATE INDEX sessions_family ON sessions(family_id);
   CREATE INDEX sessions_user ON sessions(user_id);
   CREATE TABLE tasks (
     id TEXT PRIMARY KEY,
     conversation_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     client_message_id TEXT NOT NULL,
     user_message_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     content TEXT NOT NULL,
     state TEXT NOT NULL,
     error TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (conversation_id, client_message_id)
   );
   CREATE INDEX tasks_state ON tasks(state, created_at);`,
  // Durable work: attempts, timings, error codes, cancel requests.
  `ALTER TABLE tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE tasks ADD COLUMN error_code TEXT;
   ALTER TABLE tasks ADD COLUMN started_at TEXT;
   ALTER TABLE tasks ADD COLUMN finished_at TEXT;
   ALTER TABLE tasks ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX tasks_conversation ON tasks(conversation_id, created_at);`,
  `CREATE TABLE projects (
     id TEXT PRIMARY KEY,
     owner_id TEXT NOT NULL REFERENCES users(id),
     title TEXT NOT NULL,
     description TEXT NOT NULL,
     type TEXT NOT NULL CHECK (type IN ('app','model','dataset','research','other')),
     tags TEXT NOT NULL,
     links TEXT NOT NULL,
     showcase INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX projects_owner_created ON projects(owner_id, created_at DESC);
   ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'message';`,
  `CREATE TABLE guard_reports (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     client_message_id TEXT NOT NULL,
     text TEXT NOT NULL,
     category TEXT NOT NULL,
     score REAL NOT NULL,
     pattern_ids TEXT NOT NULL,
     blocked_at TEXT NOT NULL,
     reported_at TEXT NOT NULL,
     UNIQUE (user_id, conversation_id, client_message_id)
   );
   CREATE INDEX guard_reports_reported ON guard_reports(reported_at DESC, id DESC);`,
  // Token usage per task, kept when its conversation is deleted (cost accounting outlives chats).
  `CREATE TABLE task_usage (
     task_id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     day TEXT NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX task_usage_day_user ON task_usage(day, user_id);`,
  // Every message asks for its conversation's unfinished tasks: read those only, not its whole past.
  `CREATE INDEX tasks_unfinished ON tasks(conversation_id, created_at) WHERE state IN ('queued', 'running');`,
];

/**
 * Brings the database to the newest version. The version is read and every step applied inside one
 * write transaction, so two processes opening a fresh file at once cannot both run a step.
 */
export function migrate(db: Database): void {
  db.transaction(() => {
    const current = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
    for (let version = current; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version]!);
    if (current < MIGRATIONS.length) db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
