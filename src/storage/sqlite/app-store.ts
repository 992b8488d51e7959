import type { Database } from "bun:sqlite";
import type { AppStore } from "../app-store.ts";
import { SqliteConversationStore } from "./conversations.ts";
import { SqliteGuardReportStore } from "./guard-reports.ts";
import { migrate } from "./migrations.ts";
import { openDatabase } from "./open.ts";
import { SqliteProjectStore } from "./projects.ts";
import { SqliteSessionStore } from "./sessions.ts";
import { SqliteTaskStore } from "./tasks.ts";
import { SqliteUsageStore } from "./usage.ts";
import { SqliteUserStore } from "./users.ts";

/** The single-node app store: one SQLite file, migrated on open. */
export class SqliteAppStore implements AppStore {
  readonly users: SqliteUserStore;
  readonly conversations: SqliteConversationStore;
  readonly sessions: SqliteSessionStore;
  readonly tasks: SqliteTaskStore;
  readonly projects: SqliteProjectStore;
  readonly guardReports: SqliteGuardReportStore;
  readonly usage: SqliteUsageStore;

  private constructor(private readonly db: Database) {
    this.users = new SqliteUserStore(db);
    this.conversations = new SqliteConversationStore(db);
    this.sessions = new SqliteSessionStore(db);
    this.tasks = new SqliteTaskStore(db);
    this.projects = new SqliteProjectStore(db);
    this.guardReports = new SqliteGuardReportStore(db);
    this.usage = new SqliteUsageStore(db);
  }

  static open(path: string): SqliteAppStore {
    const db = openDatabase(path);
    migrate(db);
    return new SqliteAppStore(db);
  }

  async ping(): Promise<void> {
    this.db.query("SELECT 1").get();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
