import type { Database } from "bun:sqlite";
import type { ConversationStore } from "../app-store.ts";
import type { ConversationRecord, Page } from "../types.ts";
import { GroupCommit } from "../group-commit.ts";
import { now } from "./open.ts";

interface ConversationRow {
  id: string;
  owner_id: string;
  title: string;
  agent: string;
  created_at: string;
  updated_at: string;
}

const toRecord = (row: ConversationRow): ConversationRecord => ({
  id: row.id,
  ownerId: row.owner_id,
  title: row.title,
  agent: row.agent,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Cursor = the (updated_at, id) of the last row of the previous page, base64url-encoded. */
const encodeCursor = (row: ConversationRow) => Buffer.from(`${row.updated_at}|${row.id}`).toString("base64url");
function decodeCursor(cursor: string): [string, string] | null {
  const [updatedAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  return updatedAt && id ? [updatedAt, id] : null;
}

export class SqliteConversationStore implements ConversationStore {
  constructor(
    private readonly db: Database,
    private readonly writes = new GroupCommit(db),
  ) {}

  async create(input: { ownerId: string; title: string; agent: string }): Promise<ConversationRecord> {
    const at = now();
    const record: ConversationRecord = { id: Bun.randomUUIDv7(), ...input, createdAt: at, updatedAt: at };
    this.db
      .query("INSERT INTO conversations (id, owner_id, title, agent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(record.id, record.ownerId, record.title, record.agent, at, at);
    return record;
  }

  async findById(id: string): Promise<ConversationRecord | null> {
    const row = this.db.query("SELECT * FROM conversations WHERE id = ?").get(id) as ConversationRow | null;
    return row ? toRecord(row) : null;
  }

  async listByOwner(ownerId: string, options: { limit: number; cursor?: string }): Promise<Page<ConversationRecord>> {
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const rows = (
      after
        ? this.db
            .query(
              `SELECT * FROM conversations WHERE owner_id = ? AND (updated_at, id) < (?, ?)
               ORDER BY updated_at DESC, id DESC LIMIT ?`,
            )
            .all(ownerId, after[0], after[1], options.limit + 1)
        : this.db
            .query("SELECT * FROM conversations WHERE owner_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?")
            .all(ownerId, options.limit + 1)
    ) as ConversationRow[];
    const page = rows.slice(0, options.limit);
    const last = page.at(-1);
    return { items: page.map(toRecord), nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
  }

  async rename(id: string, title: string): Promise<void> {
    this.db.query("UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?").run(title, now(), id);
  }

  async touch(id: string): Promise<void> {
    await this.writes.run(() => this.db.query("UPDATE conversations SET updated_at = ? WHERE id = ?").run(now(), id));
  }

  async delete(id: string): Promise<void> {
    this.db.transaction(() => {
      this.db.query("DELETE FROM tasks WHERE conversation_id = ?").run(id);
      this.db.query("DELETE FROM guard_reports WHERE conversation_id = ?").run(id);
      this.db.query("DELETE FROM conversations WHERE id = ?").run(id);
    })();
  }
}
