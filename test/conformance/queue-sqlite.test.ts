import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../src/clock.ts";
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

describe("SQLite queue: conversation heads", () => {
  const options = { leaseMs: 60_000, clock: systemClock };
  const task = (taskId: string, conversationId: string) => ({ taskId, conversationId, userId: "u", agent: "assistant", userMessageId: taskId, messageId: taskId, content: taskId });

  test("a file from before the head column is upgraded: its oldest task per conversation is taken first, in order", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const old = openDatabase(path);
    old.exec(`CREATE TABLE queue_tasks (
      position INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT NOT NULL UNIQUE, conversation_id TEXT NOT NULL,
      payload TEXT NOT NULL, due_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, lease_owner TEXT, lease_until INTEGER)`);
    const insert = old.query("INSERT INTO queue_tasks (task_id, conversation_id, payload, due_at) VALUES (?, ?, ?, 0)");
    for (const [taskId, conversationId] of [["a1", "a"], ["b1", "b"], ["a2", "a"], ["b2", "b"]] as const) insert.run(taskId, conversationId, JSON.stringify(task(taskId, conversationId)));
    old.close();
    const queue = new SqliteTaskQueue(openDatabase(path), options);
    const first = await queue.take("n");
    const second = await queue.take("n");
    expect([first?.taskId, second?.taskId]).toEqual(["a1", "b1"]);
    expect(await queue.take("n")).toBeNull();
    await queue.ack("a1", "n");
    expect((await queue.take("n"))?.taskId).toBe("a2");
    await queue.close();
  });

  test("with thousands of tasks waiting behind running ones, take reads only the waiting heads", async () => {
    const db = openDatabase(join(dir, `${crypto.randomUUID()}.db`));
    const queue = new SqliteTaskQueue(db, options);
    for (let i = 0; i < 3_000; i++) await queue.enqueue(task(`t${i}`, `c${i % 100}`));
    for (let i = 0; i < 100; i++) expect((await queue.take("n"))?.taskId).toBe(`t${i}`);
    const plan = db.query("EXPLAIN QUERY PLAN SELECT task_id FROM queue_tasks INDEXED BY queue_tasks_waiting_heads WHERE head = 1 AND lease_owner IS NULL AND due_at <= 0 ORDER BY position LIMIT 1").all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join()).toContain("queue_tasks_waiting_heads");
    expect(await queue.take("n")).toBeNull();
    const heads = db.query("SELECT COUNT(*) AS n FROM queue_tasks WHERE head = 1 AND lease_owner IS NULL").get() as { n: number };
    expect(heads.n).toBe(0);
    await queue.ack("t0", "n");
    expect((await queue.take("n"))?.taskId).toBe("t100");
    await queue.close();
  });

  test("a take that finds nothing does not wait for the write lock another connection holds", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const queue = new SqliteTaskQueue(openDatabase(path), options);
    await queue.enqueue(task("busy1", "busy"));
    expect((await queue.take("n"))?.taskId).toBe("busy1");
    const other = openDatabase(path);
    other.exec("BEGIN IMMEDIATE");
    try {
      const started = performance.now();
      expect(await queue.take("n")).toBeNull();
      // A write transaction would have waited the connection's busy_timeout (5 s), then failed.
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    await queue.enqueue(task("busy2", "other"));
    expect((await queue.take("n"))?.taskId).toBe("busy2");
    await queue.close();
  });
});
