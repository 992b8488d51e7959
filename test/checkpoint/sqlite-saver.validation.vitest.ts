import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validate } from "@langchain/langgraph-checkpoint-validation";
import { SqliteSaver } from "../../src/checkpoint/sqlite-saver.ts";

// Every checkpointer the suite asks for gets its own fresh database file.
const directory = mkdtempSync(join(tmpdir(), "agentd-checkpoint-validation-"));
let created = 0;

validate<SqliteSaver>({
  // Not one of the upstream package names: the suite skips some specs for those by name.
  checkpointerName: "agentd-bun-sqlite",
  createCheckpointer() {
    created += 1;
    const saver = SqliteSaver.fromPath(join(directory, `checkpoints-${created}.sqlite`));
    saver.setup();
    return saver;
  },
  destroyCheckpointer(saver) {
    saver.db.close();
  },
  afterAll() {
    rmSync(directory, { recursive: true, force: true });
  },
});

// Again with stored values kept decoded (as agent threads run it): whatever a caller does with a
// value it stored or read, the saver must answer as if it decoded every read.
const keptDirectory = mkdtempSync(join(tmpdir(), "agentd-checkpoint-validation-kept-"));
validate<SqliteSaver>({
  checkpointerName: "agentd-bun-sqlite-kept-values",
  createCheckpointer() {
    created += 1;
    const saver = SqliteSaver.fromPath(join(keptDirectory, `checkpoints-${created}.sqlite`), undefined, { keepStoredBytes: 1024 * 1024 });
    saver.setup();
    return saver;
  },
  destroyCheckpointer(saver) {
    saver.db.close();
  },
  afterAll() {
    rmSync(keptDirectory, { recursive: true, force: true });
  },
});
