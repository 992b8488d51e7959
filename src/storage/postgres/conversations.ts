import type postgres from "postgres";
import type { ConversationStore } from "../app-store.ts";
import type { ConversationRecord, Page } from "../types.ts";
import { iso } from "./connect.ts";

interface ConversationRow {
  id: string;
  owner_id: string;
  title: string;
  agent: string;
  created_at: Date;
  updated_at: Date;
}

const toRecord = (row: ConversationRow): ConversationRecord => ({
  id: row.id,
  ownerId: row.owner_id,
  title: row.title,
  agent: row.agent,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

/** Cursor = the (updated_at, id) of the last row of the previous page, base64url-encoded (the SQLite store's format). */
const encodeCursor = (record: ConversationRecord) => Buffer.from(`${record.updatedAt}|${record.id}`).toString("base64url");
function decodeCursor(cursor: string): [string, string] | null {
  const [updatedAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  return updatedAt && id && !Number.isNaN(Date.parse(updatedAt)) ? [updatedAt, id] : null;
}

export class PostgresConversationStore implements ConversationStore {
  constructor(private readonly sql: postgres.Sql) {}

  async create(input: { ownerId: string; title: string; agent: string }): Promise<ConversationRecord> {
    const at = new Date().toISOString();
    const record: ConversationRecord = { id: Bun.randomUUIDv7(), ...input, createdAt: at, updatedAt: at };
    await this.sql`INSERT INTO conversations (id, owner_id, title, agent, created_at, updated_at)
      VALUES (${record.id}, ${record.ownerId}, ${record.title}, ${record.agent}, ${at}, ${at})`;
    return record;
  }

  async findById(id: string): Promise<ConversationRecord | null> {
    const [row] = await this.sql<ConversationRow[]>`SELECT * FROM conversations WHERE id = ${id}`;
    return row ? toRecord(row) : null;
  }

  async listByOwner(ownerId: string, options: { limit: number; cursor?: string }): Promise<Page<ConversationRecord>> {
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const rows = await this.sql<ConversationRow[]>`SELECT * FROM conversations WHERE owner_id = ${ownerId}
      ${after ? this.sql`AND (updated_at, id) < (${after[0]}::timestamptz, ${after[1]})` : this.sql``}
      ORDER BY updated_at DESC, id DESC LIMIT ${options.limit + 1}`;
    const page = rows.slice(0, options.limit).map(toRecord);
    const last = page.at(-1);
    return { items: page, nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
  }

  async rename(id: string, title: string): Promise<void> {
    await this.sql`UPDATE conversations SET title = ${title}, updated_at = ${new Date().toISOString()} WHERE id = ${id}`;
  }

  async touch(id: string): Promise<void> {
    await this.sql`UPDATE conversations SET updated_at = ${new Date().toISOString()} WHERE id = ${id}`;
  }

  async delete(id: string): Promise<void> {
    await this.sql.begin(async (tx) => {
      await tx`DELETE FROM tasks WHERE conversation_id = ${id}`;
      await tx`DELETE FROM conversations WHERE id = ${id}`;
    });
  }
}
