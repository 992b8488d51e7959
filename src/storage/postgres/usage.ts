import type postgres from "postgres";
import type { UsageStore } from "../app-store.ts";
import type { DailyUsage, TaskUsage } from "../types.ts";

interface DailyRow {
  day: string;
  user_id: string;
  username: string | null;
  replies: number;
  input_tokens: number;
  output_tokens: number;
}

export class PostgresUsageStore implements UsageStore {
  constructor(private readonly sql: postgres.Sql) {}

  async record(usage: TaskUsage): Promise<void> {
    const at = new Date().toISOString();
    await this.sql`INSERT INTO task_usage (task_id, user_id, day, input_tokens, output_tokens, created_at)
      VALUES (${usage.taskId}, ${usage.userId}, ${at.slice(0, 10)}, ${usage.inputTokens}, ${usage.outputTokens}, ${at})
      ON CONFLICT (task_id) DO NOTHING`;
  }

  async dailyByUser(range: { from: string; to: string }): Promise<DailyUsage[]> {
    const rows = await this.sql<DailyRow[]>`SELECT to_char(u.day, 'YYYY-MM-DD') AS day, u.user_id, users.username,
        COUNT(*)::int AS replies, SUM(u.input_tokens)::int AS input_tokens, SUM(u.output_tokens)::int AS output_tokens
      FROM task_usage u LEFT JOIN users ON users.id = u.user_id
      WHERE u.day BETWEEN ${range.from} AND ${range.to}
      GROUP BY u.day, u.user_id, users.username
      ORDER BY u.day DESC, SUM(u.input_tokens) + SUM(u.output_tokens) DESC, u.user_id`;
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
