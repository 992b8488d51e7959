import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validate } from "@langchain/langgraph-checkpoint-validation";
import { SqliteSaver, type SqliteSaverOptions } from "../../src/checkpoint/sqlite-saver.ts";

/** LangGraph's suite against our saver opened with `options`; every checkpointer it asks for gets a fresh file. */
function validateSaver(checkpointerName: string, options: SqliteSaverOptions = {}): void {
  const directory = mkdtempSync(join(tmpdir(), "agentd-checkpoint-validation-"));
  let created = 0;
  validate<SqliteSaver>({
    checkpointerName,
    createCheckpointer() {
      created += 1;
      const saver = SqliteSaver.fromPath(join(directory, `checkpoints-${created}.sqlite`), undefined, options);
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
}

// Not one of the upstream package names: the suite skips some specs for those by name.
validateSaver("agentd-bun-sqlite");
// Again with stored values kept decoded (as agent threads run it): whatever a caller does with a
// value it stored or read, the saver must answer as if it decoded every read.
validateSaver("agentd-bun-sqlite-kept-values", { keepStoredBytes: 1024 * 1024 });
