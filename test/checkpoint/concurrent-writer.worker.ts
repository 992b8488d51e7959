// A Bun Worker that writes a chain of checkpoints into a shared database file, the way the
// server's task workers will. Driven by sqlite-saver.concurrency.test.ts.
import { SqliteSaver } from "../../src/checkpoint/sqlite-saver.ts";
import { checkpointWith, loopMetadata, threadConfig } from "./helpers.ts";

export interface WriterJob {
  path: string;
  threadId: string;
  checkpoints: number;
}

declare const self: Worker;

self.onmessage = async (event: MessageEvent<WriterJob>) => {
  const { path, threadId, checkpoints } = event.data;
  const saver = SqliteSaver.fromPath(path);
  try {
    saver.setup();
    let config = threadConfig(threadId);
    for (let step = 0; step < checkpoints; step++) {
      const version = step + 1;
      config = await saver.put(config, checkpointWith({ step, by: threadId }, { step: version, by: 1 }), loopMetadata(step), {
        step: version,
        ...(step === 0 ? { by: 1 } : {}),
      });
      await saver.putWrites(config, [["step", step + 1]], `task-${step}`);
    }
    self.postMessage({ ok: true });
  } catch (error) {
    self.postMessage({ ok: false, error: String(error) });
  } finally {
    saver.db.close();
  }
};
