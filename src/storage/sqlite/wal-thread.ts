/**
 * Entry of the WAL thread (also an entrypoint of the compiled binary): checkpoints the SQLite
 * files it is given, PASSIVE, every `intervalMs`, until told to stop. See wal-checkpoints.ts.
 */
import { Database } from "bun:sqlite";
import { nameThisThread, niceThisThread } from "../../thread.ts";
import type { WalThreadReport, WalThreadRequest } from "./wal-checkpoints.ts";

declare const self: Worker;

/** The thread's name in /proc and `top -H`. */
export const WAL_THREAD_NAME = "agentd-wal";
const WAL_THREAD_NICE = 10;

let timer: ReturnType<typeof setInterval> | undefined;
let files: { path: string; db: Database }[] = [];
const report = (message: WalThreadReport) => self.postMessage(message);

function checkpointAll(): void {
  for (const { path, db } of files) {
    try {
      // busy (1) when a writer or another checkpoint held the file; the next round catches up.
      const [row] = db.query("PRAGMA wal_checkpoint(PASSIVE)").all() as { busy: number; log: number; checkpointed: number }[];
      report({ type: "checkpointed", path, frames: row!.checkpointed, walFrames: row!.log });
    } catch (error) {
      report({ type: "failed", path, message: error instanceof Error ? error.message : String(error) });
    }
  }
}

self.onmessage = (event: MessageEvent<WalThreadRequest>) => {
  const request = event.data;
  if (request.type === "start") {
    // Background work: named for `top -H`, and behind the socket thread for the CPU.
    nameThisThread(WAL_THREAD_NAME);
    niceThisThread(WAL_THREAD_NICE);
    files = request.paths.map((path) => {
      const db = new Database(path);
      db.exec("PRAGMA busy_timeout = 1000");
      return { path, db };
    });
    timer = setInterval(checkpointAll, request.intervalMs);
    report({ type: "started" });
  } else {
    clearInterval(timer);
    for (const { db } of files) db.close();
    files = [];
    report({ type: "stopped" });
  }
};
