import type { Database } from "bun:sqlite";
import type { AppStore } from "../app-store.ts";
import { SqliteConversationStore } from "./conversations.ts";
import { SqliteGuardReportStore } from "./guard-reports.ts";
import { GroupCommit } from "../group-commit.ts";
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

  /** The writes of every message and reply (tasks, conversations' order, usage), committed together. */
  private readonly writes: GroupCommit;

  private constructor(private readonly db: Database) {
    this.writes = new GroupCommit(db);
    this.users = new SqliteUserStore(db);
    this.conversations = new SqliteConversationStore(db, this.writes);
    this.sessions = new SqliteSessionStore(db);
    this.tasks = new SqliteTaskStore(db, this.writes);
    this.projects = new SqliteProjectStore(db);
    this.guardReports = new SqliteGuardReportStore(db);
    this.usage = new SqliteUsageStore(db, this.writes);
  }

  static open(path: string, options: { autoCheckpointPages?: number } = {}): SqliteAppStore {
    const db = openDatabase(path, options);
    migrate(db);
    return new SqliteAppStore(db);
  }

  async ping(): Promise<void> {
    this.db.query("SELECT 1").get();
  }

  async close(): Promise<void> {
    this.writes.flush();
    this.db.close();
  }
}
