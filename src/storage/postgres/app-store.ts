import type postgres from "postgres";
import type { AppStore } from "../app-store.ts";
import { connectPostgres, storageUnavailable, warmPool, type PostgresOptions } from "./connect.ts";
import { PostgresConversationStore } from "./conversations.ts";
import { PostgresGuardReportStore } from "./guard-reports.ts";
import { migrate, type MigrationResult } from "./migrations.ts";
import { PostgresProjectStore } from "./projects.ts";
import { PostgresSessionStore } from "./sessions.ts";
import { PostgresTaskStore } from "./tasks.ts";
import { reportUnreachable } from "./storage-errors.ts";
import { PostgresUsageStore } from "./usage.ts";
import { PostgresUserStore } from "./users.ts";

/** The multi-node app store: every node shares one PostgreSQL database (tables in one schema). */
export class PostgresAppStore implements AppStore {
  readonly users: PostgresUserStore;
  readonly conversations: PostgresConversationStore;
  readonly sessions: PostgresSessionStore;
  readonly tasks: PostgresTaskStore;
  readonly projects: PostgresProjectStore;
  readonly guardReports: PostgresGuardReportStore;
  readonly usage: PostgresUsageStore;

  private constructor(
    private readonly sql: postgres.Sql,
    private readonly url: string,
    /** What the migrations did when this store was opened. */
    readonly migration: MigrationResult,
  ) {
    this.users = reportUnreachable(new PostgresUserStore(sql), url);
    this.conversations = reportUnreachable(new PostgresConversationStore(sql), url);
    this.sessions = reportUnreachable(new PostgresSessionStore(sql), url);
    this.tasks = reportUnreachable(new PostgresTaskStore(sql), url);
    this.projects = reportUnreachable(new PostgresProjectStore(sql), url);
    this.guardReports = reportUnreachable(new PostgresGuardReportStore(sql), url);
    this.usage = reportUnreachable(new PostgresUsageStore(sql), url);
  }

  /**
   * Connects (opening `poolMin` connections) and migrates the schema under an advisory lock.
   * Throws AppError `storage_unavailable` naming the server when it cannot be reached.
   */
  static async open(options: PostgresOptions): Promise<PostgresAppStore> {
    const sql = connectPostgres(options);
    try {
      await warmPool(sql, options.poolMin);
      return new PostgresAppStore(sql, options.url, await migrate(sql, options.schema));
    } catch (error) {
      await sql.end({ timeout: 0 });
      throw storageUnavailable(error, options.url);
    }
  }

  async ping(): Promise<void> {
    await this.sql`SELECT 1`.catch((error: unknown) => {
      throw storageUnavailable(error, this.url);
    });
  }

  async close(): Promise<void> {
    // Queries have drained by now; a connection left half-open by an outage would otherwise hold end() for the whole timeout.
    await this.sql.end({ timeout: 1 });
  }
}
