import { afterEach, beforeEach, expect, test } from "bun:test";
import { SqliteSaver } from "../../src/checkpoint/sqlite-saver.ts";
import type { WriterJob } from "./concurrent-writer.worker.ts";
import { tempDirectory, threadConfig } from "./helpers.ts";

let files: ReturnType<typeof tempDirectory>;

beforeEach(() => {
  files = tempDirectory();
});

afterEach(() => {
  files.remove();
});

function runWriter(job: WriterJob): Promise<void> {
  const worker = new Worker(new URL("./concurrent-writer.worker.ts", import.meta.url).href);
  return new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ ok: boolean; error?: string }>) => {
      worker.terminate();
      if (event.data.ok) resolve();
      else reject(new Error(`writer ${job.threadId}: ${event.data.error}`));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`writer ${job.threadId}: ${event.message}`));
    };
    worker.postMessage(job);
  }).finally(() => worker.terminate());
}

test("Worker threads set up and write one new file at once while the main thread reads it", async () => {
  const path = files.path("shared.sqlite");
  const writers = 4;
  const checkpoints = 40;
  const threadIds = Array.from({ length: writers }, (_, index) => `worker-${index}`);
  // Nobody has created the schema yet: every writer races to set it up.
  const done = Promise.all(threadIds.map((threadId) => runWriter({ path, threadId, checkpoints })));

  const reader = SqliteSaver.fromPath(path);
  try {
    let finished = false;
    void done.finally(() => {
      finished = true;
    });
    // Read while they write: a reader must never see an error or a half-written checkpoint.
    while (!finished) {
      for (const threadId of threadIds) {
        const latest = await reader.getTuple(threadConfig(threadId));
        if (latest !== undefined) {
          const step = latest.checkpoint.channel_values.step as number;
          expect(latest.checkpoint.channel_values).toEqual({ step, by: threadId });
          expect(latest.metadata?.step).toBe(step);
        }
      }
      await Bun.sleep(1);
    }
    await done;

    for (const threadId of threadIds) {
      const steps = [];
      for await (const tuple of reader.list(threadConfig(threadId))) {
        steps.push(tuple.checkpoint.channel_values.step);
        expect(tuple.pendingWrites).toEqual([[`task-${tuple.metadata?.step}`, "step", (tuple.metadata?.step ?? 0) + 1]]);
      }
      expect(steps).toEqual(Array.from({ length: checkpoints }, (_, step) => checkpoints - 1 - step));
    }
  } finally {
    reader.db.close();
  }
}, 60_000);
