import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteTaskQueue } from "../../src/queue/sqlite.ts";
import { openDatabase } from "../../src/storage/sqlite/open.ts";
import { queueSuite } from "./queue.suite.ts";

const dir = mkdtempSync(join(tmpdir(), "agentd-queue-"));
let file = "";
afterAll(() => rmSync(dir, { recursive: true, force: true }));

queueSuite({
  name: "sqlite",
  create: (options) => new SqliteTaskQueue(openDatabase((file = join(dir, `${crypto.randomUUID()}.db`))), options),
  reopen: (options) => new SqliteTaskQueue(openDatabase(file), options),
});
