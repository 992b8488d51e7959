import { Database } from "bun:sqlite";

/**
 * Writes a consistent copy of the SQLite database at `source` to `target` with `VACUUM INTO`,
 * while other connections keep reading and writing: the copy is one read transaction's snapshot,
 * so it holds every transaction committed before it started and nothing half-written.
 * `target` must not exist.
 */
export function snapshotDatabase(source: string, target: string): void {
  const db = new Database(source, { readonly: true });
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.query("VACUUM INTO ?").run(target);
  } finally {
    db.close();
  }
}

/**
 * Checks a database file: `PRAGMA quick_check`, and that it has `table`. Null when it is sound,
 * else what is wrong.
 */
export function checkDatabase(path: string, table: string): string | null {
  const db = new Database(path, { readonly: true });
  try {
    const row = db.query("PRAGMA quick_check").get() as { quick_check: string };
    if (row.quick_check !== "ok") return row.quick_check;
    const found = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    return found ? null : `it has no ${table} table`;
  } finally {
    db.close();
  }
}
