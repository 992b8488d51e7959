import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deltaChannelHistoryTests } from "@langchain/langgraph-checkpoint-validation";
import { afterAll } from "vitest";
import { SqliteSaver } from "../../src/checkpoint/sqlite-saver.ts";

// The suite's opt-in specs for getDeltaChannelHistory (not part of validate()); SqliteSaver
// overrides that method, so it is held to them too.
const directory = mkdtempSync(join(tmpdir(), "agentd-checkpoint-delta-"));
let created = 0;

afterAll(() => rmSync(directory, { recursive: true, force: true }));

deltaChannelHistoryTests<SqliteSaver>({
  checkpointerName: "agentd-bun-sqlite",
  createCheckpointer() {
    created += 1;
    return SqliteSaver.fromPath(join(directory, `checkpoints-${created}.sqlite`));
  },
  destroyCheckpointer(saver) {
    saver.db.close();
  },
});
