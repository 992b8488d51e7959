import type { Database } from "bun:sqlite";

/**
 * Schema of the checkpoint tables. Append-only: the position in the list is the version
 * recorded in `checkpoint_migrations`. Never edit, reorder or remove a shipped entry; add a
 * new one instead.
 *
 * The version lives in its own table rather than `PRAGMA user_version` because the app's
 * own storage may share the file and already owns that pragma.
 *
 * - `checkpoints`: one row per checkpoint, without its channel values. `channel_versions`
 *   is plain JSON (`{channel: version}`) so the blobs can be looked up without the serde.
 * - `checkpoint_blobs`: one row per channel value per version, shared by every checkpoint
 *   of the thread that holds that version. `type = 'empty'` marks a version whose channel
 *   had no value.
 * - `checkpoint_writes`: pending writes of a checkpoint, keyed like LangGraph's other savers.
 */
export const CHECKPOINT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS checkpoints (
     thread_id TEXT NOT NULL,
     checkpoint_ns TEXT NOT NULL DEFAULT '',
     checkpoint_id TEXT NOT NULL,
     parent_checkpoint_id TEXT,
     type TEXT NOT NULL,
     checkpoint BLOB NOT NULL,
     channel_versions TEXT NOT NULL DEFAULT '{}',
     metadata TEXT NOT NULL DEFAULT '{}',
     PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
   )`,
  `CREATE TABLE IF NOT EXISTS checkpoint_blobs (
     thread_id TEXT NOT NULL,
     checkpoint_ns TEXT NOT NULL DEFAULT '',
     channel TEXT NOT NULL,
     version TEXT NOT NULL,
     type TEXT NOT NULL,
     blob BLOB,
     PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
   )`,
  `CREATE TABLE IF NOT EXISTS checkpoint_writes (
     thread_id TEXT NOT NULL,
     checkpoint_ns TEXT NOT NULL DEFAULT '',
     checkpoint_id TEXT NOT NULL,
     task_id TEXT NOT NULL,
     idx INTEGER NOT NULL,
     channel TEXT NOT NULL,
     type TEXT NOT NULL,
     blob BLOB NOT NULL,
     task_path TEXT NOT NULL DEFAULT '',
     PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
   )`,
];

/** Highest applied version, or -1 when none (or the version table does not exist yet). */
function appliedVersion(db: Database): number {
  const table = db
    .query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'checkpoint_migrations'")
    .get();
  if (table === null) return -1;
  return db.query<{ v: number | null }, []>("SELECT max(v) AS v FROM checkpoint_migrations").get()?.v ?? -1;
}

/**
 * Brings the checkpoint tables to the newest version.
 *
 * Safe to call any number of times, from several connections, threads or processes at once:
 * the steps run in one `BEGIN IMMEDIATE` transaction, so concurrent callers queue on the
 * write lock (bounded by the connection's `busy_timeout`) and the later ones find nothing
 * left to do. When the schema is already current it only reads.
 *
 * @throws the SQLite error if a step fails (nothing of that call is applied), or
 *   `SQLITE_BUSY` if the write lock cannot be had within the busy timeout.
 */
export function migrateCheckpointSchema(db: Database): void {
  if (appliedVersion(db) >= CHECKPOINT_MIGRATIONS.length - 1) return;
  db.transaction(() => {
    db.run("CREATE TABLE IF NOT EXISTS checkpoint_migrations (v INTEGER PRIMARY KEY)");
    for (let version = appliedVersion(db) + 1; version < CHECKPOINT_MIGRATIONS.length; version++) {
      db.run(CHECKPOINT_MIGRATIONS[version]!);
      db.run("INSERT INTO checkpoint_migrations (v) VALUES (?)", [version]);
    }
  }).immediate();
}
