import type { Database } from "bun:sqlite";
import type { GuardReportStore } from "../app-store.ts";
import type { GuardReportRecord, Page } from "../types.ts";

interface GuardReportRow {
  id: string;
  user_id: string;
  username: string | null;
  conversation_id: string;
  client_message_id: string;
  text: string;
  category: string;
  score: number;
  pattern_ids: string;
  blocked_at: string;
  reported_at: string;
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
  patternIds: JSON.parse(row.pattern_ids) as string[],
  blockedAt: row.blocked_at,
  reportedAt: row.reported_at,
});

const SELECT = `SELECT r.*, u.username AS username FROM guard_reports r LEFT JOIN users u ON u.id = r.user_id`;
/** Cursor = the (reported_at, id) of the last row of the previous page, base64url-encoded. */
const encodeCursor = (row: GuardReportRow) => Buffer.from(`${row.reported_at}|${row.id}`).toString("base64url");

export class SqliteGuardReportStore implements GuardReportStore {
  constructor(private readonly db: Database) {}

  async createOrGet(input: Omit<GuardReportRecord, "id" | "username">): Promise<GuardReportRecord> {
    this.db
      .query(
        `INSERT INTO guard_reports (id, user_id, conversation_id, client_message_id, text, category, score, pattern_ids, blocked_at, reported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, conversation_id, client_message_id) DO NOTHING`,
      )
      .run(
        Bun.randomUUIDv7(),
        input.userId,
        input.conversationId,
        input.clientMessageId,
        input.text,
        input.category,
        input.score,
        JSON.stringify(input.patternIds),
        input.blockedAt,
        input.reportedAt,
      );
    const row = this.db
      .query(`${SELECT} WHERE r.user_id = ? AND r.conversation_id = ? AND r.client_message_id = ?`)
      .get(input.userId, input.conversationId, input.clientMessageId) as GuardReportRow;
    return toRecord(row);
  }

  async list(options: { limit: number; cursor?: string }): Promise<Page<GuardReportRecord>> {
    const [reportedAt, id] = options.cursor ? Buffer.from(options.cursor, "base64url").toString().split("|") : [];
    const rows = (
      reportedAt && id
        ? this.db
            .query(`${SELECT} WHERE (r.reported_at, r.id) < (?, ?) ORDER BY r.reported_at DESC, r.id DESC LIMIT ?`)
            .all(reportedAt, id, options.limit + 1)
        : this.db.query(`${SELECT} ORDER BY r.reported_at DESC, r.id DESC LIMIT ?`).all(options.limit + 1)
    ) as GuardReportRow[];
    const page = rows.slice(0, options.limit);
    const last = page.at(-1);
    return { items: page.map(toRecord), nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
  }

  async deleteReportedBefore(cutoff: Date): Promise<number> {
    return this.db.query("DELETE FROM guard_reports WHERE reported_at < ?").run(cutoff.toISOString()).changes;
  }
}
