import type { Database } from "bun:sqlite";
import { GroupCommit } from "../storage/group-commit.ts";
import type { LeasedTask, QueuedTask, TaskQueue, TaskQueueOptions } from "./queue.ts";

// The queue owns its table; it lives in its own file (data_dir/queue.db), so no app migration knows it.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS queue_tasks (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until INTEGER
  );
  CREATE INDEX IF NOT EXISTS queue_tasks_conversation ON queue_tasks(conversation_id, position);
  CREATE INDEX IF NOT EXISTS queue_tasks_lease ON queue_tasks(lease_until) WHERE lease_owner IS NOT NULL;`;

// `head` marks each conversation's oldest task, the only one `take` may hand out: with it, `take` reads
// the waiting heads only, not every task queued behind a running one (a burst of messages to busy
// conversations made each `take` scan the whole queue). Added to files made before it.
const HEADS = `
  CREATE INDEX IF NOT EXISTS queue_tasks_waiting_heads ON queue_tasks(position) WHERE head = 1 AND lease_owner IS NULL;`;

/** The oldest waiting head that is due (`?` is now): what `take` hands out next. */
const WAITING_HEAD = "head = 1 AND lease_owner IS NULL AND due_at <= ? ORDER BY position LIMIT 1";

interface Row {
  task_id: string;
  payload: string;
  attempts: number;
}

/**
 * The single-node durable queue on SQLite. Every change is one statement or one IMMEDIATE
 * transaction, so several processes may share the file (each with its own owner name).
 */
export class SqliteTaskQueue implements TaskQueue {
  private readonly listeners = new Set<() => void>();
  /** Enqueues and acks of one event-loop turn share a commit. */
  private readonly writes: GroupCommit;

  constructor(
    private readonly db: Database,
    private readonly options: TaskQueueOptions,
  ) {
    this.writes = new GroupCommit(db);
    db.transaction(() => {
      db.exec(SCHEMA);
      const columns = db.query("SELECT name FROM pragma_table_info('queue_tasks')").all() as { name: string }[];
      if (!columns.some((column) => column.name === "head")) {
        db.exec("ALTER TABLE queue_tasks ADD COLUMN head INTEGER NOT NULL DEFAULT 0");
        db.exec("UPDATE queue_tasks SET head = 1 WHERE position IN (SELECT MIN(position) FROM queue_tasks GROUP BY conversation_id)");
      }
      db.exec(HEADS);
    }).immediate();
  }

  async enqueue(task: QueuedTask, options: { delayMs?: number } = {}): Promise<boolean> {
    // A new task is enqueued as its row's commit resolves, with the others of that commit.
    const inserted = await this.writes.run(() =>
      this.db
        .query(
          `INSERT INTO queue_tasks (task_id, conversation_id, payload, due_at, head)
           VALUES (?1, ?2, ?3, ?4, NOT EXISTS (SELECT 1 FROM queue_tasks WHERE conversation_id = ?2))
           ON CONFLICT (task_id) DO NOTHING`,
        )
        .run(task.taskId, task.conversationId, JSON.stringify(task), this.now() + (options.delayMs ?? 0)),
      { batch: "microtasks" },
    );
    if (inserted.changes > 0) this.notify();
    return inserted.changes > 0;
  }

  async take(owner: string): Promise<LeasedTask | null> {
    const now = this.now();
    // Most takes find nothing (the dispatcher asks again whenever a task ends or arrives): a read
    // answers those without the write lock and a commit.
    if (!this.db.query(`SELECT 1 FROM queue_tasks INDEXED BY queue_tasks_waiting_heads WHERE ${WAITING_HEAD}`).get(now)) return null;
    const row = this.db
      .transaction(() => {
        const found = this.db
          .query(`SELECT task_id, payload, attempts FROM queue_tasks INDEXED BY queue_tasks_waiting_heads WHERE ${WAITING_HEAD}`)
          .get(now) as Row | null;
        if (found) {
          this.db
            .query("UPDATE queue_tasks SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE task_id = ?")
            .run(owner, now + this.options.leaseMs, found.task_id);
        }
        return found;
      })
      .immediate();
    return row ? { ...(JSON.parse(row.payload) as QueuedTask), attempt: row.attempts + 1 } : null;
  }

  async renew(owner: string, taskIds: readonly string[]): Promise<string[]> {
    const until = this.now() + this.options.leaseMs;
    const statement = this.db.query("UPDATE queue_tasks SET lease_until = ? WHERE task_id = ? AND lease_owner = ?");
    return this.db
      .transaction(() => taskIds.filter((taskId) => statement.run(until, taskId, owner).changes === 0))
      .immediate();
  }

  async ack(taskId: string, owner: string): Promise<boolean> {
    return this.delete("DELETE FROM queue_tasks WHERE task_id = ? AND lease_owner = ? RETURNING conversation_id, head", taskId, owner);
  }

  async retry(taskId: string, owner: string, delayMs: number): Promise<boolean> {
    const updated = this.db
      .query("UPDATE queue_tasks SET lease_owner = NULL, lease_until = NULL, due_at = ? WHERE task_id = ? AND lease_owner = ?")
      .run(this.now() + delayMs, taskId, owner);
    if (updated.changes > 0) this.notify();
    return updated.changes > 0;
  }

  async remove(taskId: string): Promise<boolean> {
    return this.delete("DELETE FROM queue_tasks WHERE task_id = ? AND lease_owner IS NULL RETURNING conversation_id, head", taskId);
  }

  async reap(): Promise<number> {
    const reaped = this.db
      .query("UPDATE queue_tasks SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL AND lease_until <= ?")
      .run(this.now());
    if (reaped.changes > 0) this.notify();
    return reaped.changes;
  }

  async depth(): Promise<number> {
    return (this.db.query("SELECT COUNT(*) AS n FROM queue_tasks WHERE lease_owner IS NULL").get() as { n: number }).n;
  }

  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.writes.flush();
    this.db.close();
  }

  /** Runs a DELETE … RETURNING conversation_id, head; a deleted head hands its place to the next task. */
  private async delete(statement: string, ...params: string[]): Promise<boolean> {
    const deleted = await this.writes.run(() => {
      const row = this.db.query(statement).get(...params) as { conversation_id: string; head: number } | null;
      if (row?.head) {
        this.db
          .query("UPDATE queue_tasks SET head = 1 WHERE position = (SELECT MIN(position) FROM queue_tasks WHERE conversation_id = ?)")
          .run(row.conversation_id);
      }
      return row !== null;
    });
    if (deleted) this.notify();
    return deleted;
  }

  private now(): number {
    return this.options.clock.now();
  }

  private notify(): void {
    for (const listener of this.listeners) setImmediate(listener);
  }
}
