import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Opens (creating) a SQLite file for concurrent use by several threads: WAL, a busy timeout, foreign
 * keys on. `autoCheckpointPages`: how long the log may grow before this connection checkpoints the
 * file itself (SQLite's default 1,000; higher where the WAL thread does it, see wal-checkpoints.ts).
 */
export function openDatabase(path: string, options: { autoCheckpointPages?: number } = {}): Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true, strict: true });
  // Timeout first: switching to WAL needs a lock another connection may hold.
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  if (options.autoCheckpointPages !== undefined) db.exec(`PRAGMA wal_autocheckpoint = ${Math.trunc(options.autoCheckpointPages)}`);
  return db;
}

export const now = (): string => new Date().toISOString();
