import type { Database } from "bun:sqlite";

/** Commits closer together than this mean the file is busy: batch by event-loop turn. */
const BUSY_MS = 2;

/**
 * Runs `flush` at once (in a microtask, after the writes of the same synchronous run) when the
 * last flush was `BUSY_MS` ago or more; else at the end of this event-loop turn, to take all of
 * the turn's writes in one commit.
 */
export function scheduleFlush(lastFlushAt: number, now: number, flush: () => void): void {
  if (now - lastFlushAt < BUSY_MS) setImmediate(flush);
  else queueMicrotask(flush);
}

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for one SQLite connection: writes submitted together run, in submission order, in
 * one IMMEDIATE transaction, and each promise settles once that transaction committed (under load,
 * all the writes of one turn of the event loop; see `run`). A write that throws is undone alone and
 * only its promise rejects: the batch then runs again with each write in its own savepoint (a
 * savepoint per write on the common path cost as much as the writes). So a write must only run
 * SQL: it may run twice. A commit writes every page the transaction touched to the
 * WAL; with many messages arriving at once (a burst), one commit per write was most of the
 * socket thread's time (BENCHMARKS.md, "burst").
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private microtaskFlushDue = false;

  /** `now` is for tests: the clock that tells whether the last commit was under `BUSY_MS` ago. */
  constructor(
    private readonly db: Database,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Runs `write` in the next commit. While writes are rare the commit follows at once (after the
   * writes made in the same synchronous run, e.g. a `Promise.all`); once they come faster than one
   * per `BUSY_MS`, the next commit waits for the end of the event-loop turn and takes all its writes.
   * Every wait for a turn is latency on the path of a reply, so it is only taken when it pays.
   *
   * `batch: "microtasks"` commits once the microtasks now queued have run, never later: for a write
   * made because another commit resolved (a task's queue entry, once its row is stored), whose
   * siblings are all made in those microtasks. Waiting for the end of the turn would add a second
   * turn to the wait of every accepted message (BENCHMARKS.md, "burst").
   */
  run<T>(write: () => T, options: { batch?: "turn" | "microtasks" } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (options.batch === "microtasks") {
        if (this.microtaskFlushDue) return;
        this.microtaskFlushDue = true;
        queueMicrotask(() => {
          this.microtaskFlushDue = false;
          this.flush();
        });
      } else if (this.pending.length === 1) scheduleFlush(this.lastCommitAt, this.now(), () => this.flush());
    });
  }

  /** Commits what is pending now (also called before the connection closes). */
  flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.lastCommitAt = this.now();
    let values: unknown[];
    try {
      values = this.db.transaction(() => batch.map(({ write }) => write())).immediate();
    } catch (error) {
      // The whole transaction was rolled back. Alone, the write's own error; else run the batch
      // again with each write in a savepoint, so only the one that fails rejects.
      if (batch.length === 1) batch[0]!.reject(error);
      else this.commitEachInSavepoint(batch);
      return;
    }
    batch.forEach((item, index) => item.resolve(values[index]));
  }

  private commitEachInSavepoint(batch: Pending[]): void {
    const outcomes: { value?: unknown; error?: unknown; failed: boolean }[] = [];
    try {
      this.db
        .transaction(() => {
          for (const { write } of batch) {
            this.db.run("SAVEPOINT agentd_write");
            try {
              outcomes.push({ value: write(), failed: false });
              this.db.run("RELEASE agentd_write");
            } catch (error) {
              this.db.run("ROLLBACK TO agentd_write");
              this.db.run("RELEASE agentd_write");
              outcomes.push({ error, failed: true });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.failed) item.reject(outcome.error);
      else item.resolve(outcome.value);
    });
  }
}
