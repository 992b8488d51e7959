import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import { emptyCheckpoint, uuid6, type Checkpoint, type CheckpointMetadata, type SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { SqliteSaver, type SqliteSaverOptions } from "../../src/checkpoint/sqlite-saver.ts";

/** A fresh directory for database files; `remove()` deletes it with everything in it. */
export function tempDirectory(prefix = "agentd-checkpoint-test-"): { path: (name: string) => string; remove: () => void } {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  return {
    path: (name) => join(directory, name),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/**
 * SQLite savers on files of one fresh directory (one per test): `close()` closes every saver opened
 * (closing one twice is harmless) and removes the directory.
 */
export function saverFiles() {
  const files = tempDirectory();
  const opened: SqliteSaver[] = [];
  return {
    path: files.path,
    open(name = "checkpoints.sqlite", options: SqliteSaverOptions & { serde?: SerializerProtocol } = {}): SqliteSaver {
      const saver = SqliteSaver.fromPath(files.path(name), options.serde, options);
      opened.push(saver);
      return saver;
    },
    close(): void {
      for (const saver of opened.splice(0)) saver.db.close();
      files.remove();
    },
  };
}

export const loopMetadata = (step: number, extra: Record<string, unknown> = {}): CheckpointMetadata => ({
  source: "loop",
  step,
  parents: {},
  ...extra,
});

/** A v4 checkpoint with a fresh, increasing id holding `values`, each at `version`. */
export function checkpointWith(values: Record<string, unknown>, versions: Record<string, number>): Checkpoint {
  return { ...emptyCheckpoint(), id: uuid6(3), channel_values: values, channel_versions: versions };
}

export const threadConfig = (threadId: string, checkpointNs = ""): RunnableConfig => ({
  configurable: { thread_id: threadId, checkpoint_ns: checkpointNs },
});
