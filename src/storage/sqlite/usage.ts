import type { Database } from "bun:sqlite";
import type { UsageStore } from "../app-store.ts";
import type { DailyUsage, TaskUsage } from "../types.ts";
import { GroupCommit } from "../group-commit.ts";
import { now } from "./open.ts";

interface DailyRow {
  day: string;
  user_id: string;
  username: string | null;
  replies: number;
  input_tokens: number;
  output_tokens: number;
}

export class SqliteUsageStore implements UsageStore {
  constructor(
    private readonly db: Database,
    private readonly writes = new GroupCommit(db),
  ) {}

  async record(usage: TaskUsage): Promise<void> {
    const at = now();
    await this.writes.run(() =>
      this.db
        .query(
          `INSERT INTO task_usage (task_id, user_id, day, input_tokens, output_tokens, created_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (task_id) DO NOTHING`,
        )
        .run(usage.taskId, usage.userId, at.slice(0, 10), usage.inputTokens, usage.outputTokens, at),
    );
  }

  async dailyByUser(range: { from: string; to: string }): Promise<DailyUsage[]> {
    const rows = this.db
      .query(
        `SELECT u.day, u.user_id, users.username, COUNT(*) AS replies,
                SUM(u.input_tokens) AS input_tokens, SUM(u.output_tokens) AS output_tokens
         FROM task_usage u LEFT JOIN users ON users.id = u.user_id
         WHERE u.day BETWEEN ? AND ?
         GROUP BY u.day, u.user_id
         ORDER BY u.day DESC, input_tokens + output_tokens DESC, u.user_id`,
      )
      .all(range.from, range.to) as DailyRow[];
    return rows.map((row) => ({
      day: row.day,
      userId: row.user_id,
      username: row.username,
      replies: row.replies,
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
    }));
  }
}
