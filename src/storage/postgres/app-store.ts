import type postgres from "postgres";
import type { AppStore } from "../app-store.ts";
import { connectPostgres, storageUnavailable, warmPool, type PostgresOptions } from "./connect.ts";
import { PostgresConversationStore } from "./conversations.ts";
import { migrate, type MigrationResult } from "./migrations.ts";
import { PostgresProjectStore } from "./projects.ts";
import { PostgresSessionStore } from "./sessions.ts";
import { PostgresTaskStore } from "./tasks.ts";
import { PostgresUserStore } from "./users.ts";

/** The multi-node app store: every node shares one PostgreSQL database (tables in one schema). */
export class PostgresAppStore implements AppStore {
  readonly users: PostgresUserStore;
  readonly conversations: PostgresConversationStore;
  readonly sessions: PostgresSessionStore;
  readonly tasks: PostgresTaskStore;
  readonly projects: PostgresProjectStore;

  private constructor(
    private readonly sql: postgres.Sql,
    /** What the migrations did when this store was opened. */
    readonly migration: MigrationResult,
  ) {
    this.users = new PostgresUserStore(sql);
    this.conversations = new PostgresConversationStore(sql);
    this.sessions = new PostgresSessionStore(sql);
    this.tasks = new PostgresTaskStore(sql);
    this.projects = new PostgresProjectStore(sql);
  }

  /**
   * Connects (opening `poolMin` connections) and migrates the schema under an advisory lock.
   * Throws AppError `storage_unavailable` naming the server when it cannot be reached.
   */
  static async open(options: PostgresOptions): Promise<PostgresAppStore> {
    const sql = connectPostgres(options);
    try {
      await warmPool(sql, options.poolMin);
      return new PostgresAppStore(sql, await migrate(sql, options.schema));
    } catch (error) {
      await sql.end({ timeout: 0 });
      throw storageUnavailable(error, options.url);
    }
  }

  async ping(): Promise<void> {
    await this.sql`SELECT 1`;
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}
