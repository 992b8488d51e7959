import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteEventLog } from "../../src/events/sqlite.ts";
import { openDatabase } from "../../src/storage/sqlite/open.ts";
import { eventLogSuite } from "./event-log.suite.ts";

const dir = mkdtempSync(join(tmpdir(), "agentd-events-"));
let file = "";
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventLogSuite({
  name: "sqlite",
  create: (options) => new SqliteEventLog(openDatabase((file = join(dir, `${crypto.randomUUID()}.db`))), options),
  reopen: (options) => new SqliteEventLog(openDatabase(file), options),
});
