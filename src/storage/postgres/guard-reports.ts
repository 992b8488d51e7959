import type postgres from "postgres";
import type { GuardReportStore } from "../app-store.ts";
import type { GuardReportRecord, Page } from "../types.ts";
import { iso } from "./connect.ts";

interface GuardReportRow {
  id: string;
  user_id: string;
  username: string | null;
  conversation_id: string;
  client_message_id: string;
  text: string;
  category: string;
  score: number;
  pattern_ids: string[];
  blocked_at: Date;
  reported_at: Date;
}

const toRecord = (row: GuardReportRow): GuardReportRecord => ({
  id: row.id,
  userId: row.user_id,
  username: row.username,
  conversationId: row.conversation_id,
  clientMessageId: row.client_message_id,
  text: row.text,
  category: row.category,
  score: row.score,
  patternIds: row.pattern_ids,
  blockedAt: iso(row.blocked_at),
  reportedAt: iso(row.reported_at),
});

/** Cursor = the (reported_at, id) of the last row of the previous page, base64url-encoded. */
const encodeCursor = (row: GuardReportRow) => Buffer.from(`${iso(row.reported_at)}|${row.id}`).toString("base64url");

export class PostgresGuardReportStore implements GuardReportStore {
  constructor(private readonly sql: postgres.Sql) {}

  async createOrGet(input: Omit<GuardReportRecord, "id" | "username">): Promise<GuardReportRecord> {
    await this.sql`INSERT INTO guard_reports
        (id, user_id, conversation_id, client_message_id, text, category, score, pattern_ids, blocked_at, reported_at)
      VALUES (${Bun.randomUUIDv7()}, ${input.userId}, ${input.conversationId}, ${input.clientMessageId}, ${input.text},
        ${input.category}, ${input.score}, ${this.sql.json(input.patternIds)}, ${input.blockedAt}, ${input.reportedAt})
      ON CONFLICT (user_id, conversation_id, client_message_id) DO NOTHING`;
    const [row] = await this.sql<GuardReportRow[]>`SELECT r.*, u.username FROM guard_reports r LEFT JOIN users u ON u.id = r.user_id
      WHERE r.user_id = ${input.userId} AND r.conversation_id = ${input.conversationId} AND r.client_message_id = ${input.clientMessageId}`;
    return toRecord(row!);
  }

  async list(options: { limit: number; cursor?: string }): Promise<Page<GuardReportRecord>> {
    const [reportedAt, id] = options.cursor ? Buffer.from(options.cursor, "base64url").toString().split("|") : [];
    const rows =
      reportedAt && id
        ? await this.sql<GuardReportRow[]>`SELECT r.*, u.username FROM guard_reports r LEFT JOIN users u ON u.id = r.user_id
            WHERE (r.reported_at, r.id) < (${reportedAt}, ${id}) ORDER BY r.reported_at DESC, r.id DESC LIMIT ${options.limit + 1}`
        : await this.sql<GuardReportRow[]>`SELECT r.*, u.username FROM guard_reports r LEFT JOIN users u ON u.id = r.user_id
            ORDER BY r.reported_at DESC, r.id DESC LIMIT ${options.limit + 1}`;
    const page = rows.slice(0, options.limit);
    const last = page.at(-1);
    return { items: page.map(toRecord), nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
  }

  async deleteReportedBefore(cutoff: Date): Promise<number> {
    const result = await this.sql`DELETE FROM guard_reports WHERE reported_at < ${cutoff.toISOString()}`;
    return result.count;
  }
}
