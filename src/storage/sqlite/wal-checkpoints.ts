import type { Logger } from "../../log.ts";

/** Main thread → WAL thread. */
export type WalThreadRequest = { type: "start"; paths: string[]; intervalMs: number } | { type: "stop" };
/** WAL thread → main thread. */
export type WalThreadReport =
  | { type: "started" }
  | { type: "stopped" }
  /** One PASSIVE checkpoint: `frames` of the log's `walFrames` are now in the file. */
  | { type: "checkpointed"; path: string; frames: number; walFrames: number }
  | { type: "failed"; path: string; message: string };

/**
 * A connection that checkpoints its file itself only once its log holds this many pages (~40 MB):
 * a safety net, should the WAL thread stall. SQLite's default is 1,000.
 */
export const BACKGROUND_WAL_PAGES = 10_000;

/**
 * Copies the write-ahead log of SQLite files back into them (a PASSIVE checkpoint), every
 * `intervalMs`, on a thread of its own. Left to SQLite, the connection whose commit takes the log
 * past 1,000 pages does it — thousands of page writes and two fsyncs — and under load that stopped
 * the socket thread for 5–15 ms several times a second (BENCHMARKS.md, "burst"). A PASSIVE
 * checkpoint never waits for, nor blocks, the socket thread's readers and writers. The files'
 * own connections are opened with `wal_autocheckpoint` at `BACKGROUND_WAL_PAGES`.
 */
export class WalCheckpoints {
  private readonly failing = new Set<string>();
  private stopped?: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly log: Logger,
  ) {
    worker.addEventListener("message", (event: MessageEvent<WalThreadReport>) => this.onReport(event.data));
  }

  /** Starts the thread (`entryUrl`: wal-thread.ts, or its compiled form) on `paths`; resolves once it runs. */
  static async start(entryUrl: string, paths: string[], intervalMs: number, log: Logger): Promise<WalCheckpoints> {
    const worker = new Worker(entryUrl);
    const checkpoints = new WalCheckpoints(worker, log);
    try {
      await checkpoints.next(isReport("started"), () => worker.postMessage({ type: "start", paths, intervalMs } satisfies WalThreadRequest));
    } catch (error) {
      worker.terminate();
      throw error;
    }
    return checkpoints;
  }

  /** Resolves with the next checkpoint report of `path` (for tests and diagnostics). */
  nextCheckpoint(path: string): Promise<Extract<WalThreadReport, { type: "checkpointed" }>> {
    return this.next((report): report is Extract<WalThreadReport, { type: "checkpointed" }> => report.type === "checkpointed" && report.path === path);
  }

  /** Stops checkpointing and closes the thread's connections (before the files' own close). */
  stop(timeoutMs = 5_000): Promise<void> {
    this.stopped ??= (async () => {
      const stopping = this.next(isReport("stopped"), () => this.worker.postMessage({ type: "stop" } satisfies WalThreadRequest));
      await Promise.race([stopping, Bun.sleep(timeoutMs)]);
      this.worker.terminate();
    })();
    return this.stopped;
  }

  /** Sends, then resolves with the first report that `matches`; rejects if the thread fails first (it could not load). */
  private next<T extends WalThreadReport>(matches: (report: WalThreadReport) => report is T, send: () => void = () => {}): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.worker.removeEventListener("message", listener);
        this.worker.removeEventListener("error", failed);
      };
      const listener = (event: MessageEvent<WalThreadReport>) => {
        if (!matches(event.data)) return;
        done();
        resolve(event.data);
      };
      const failed = (event: ErrorEvent) => {
        done();
        reject(new Error(`the WAL checkpoint thread failed: ${event.message}`));
      };
      this.worker.addEventListener("message", listener);
      this.worker.addEventListener("error", failed);
      send();
    });
  }

  /** A failure is logged when it starts and when it ends, not every round. */
  private onReport(report: WalThreadReport): void {
    if (report.type === "failed" && !this.failing.has(report.path)) {
      this.failing.add(report.path);
      this.log.warn("background WAL checkpoint failed; the file's own connection checkpoints it past its limit", { path: report.path, error: report.message });
    } else if (report.type === "checkpointed" && this.failing.delete(report.path)) {
      this.log.info("background WAL checkpoint works again", { path: report.path });
    }
  }
}

const isReport =
  <K extends WalThreadReport["type"]>(type: K) =>
  (report: WalThreadReport): report is Extract<WalThreadReport, { type: K }> =>
    report.type === type;
