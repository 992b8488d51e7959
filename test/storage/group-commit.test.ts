import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GroupCommit } from "../../src/storage/group-commit.ts";
import { openDatabase } from "../../src/storage/sqlite/open.ts";

const dir = mkdtempSync(join(tmpdir(), "agentd-group-commit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fresh(now?: () => number) {
  const path = join(dir, `${crypto.randomUUID()}.db`);
  const db = openDatabase(path);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
  const other = new Database(path, { readonly: true });
  const count = () => (other.query("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n;
  return { db, count, writes: new GroupCommit(db, now) };
}

test("writes submitted together share one transaction, run in order, and resolve once committed", async () => {
  const { db, count, writes } = fresh();
  const seenByOthers: number[] = [];
  const results = await Promise.all(
    ["a", "b", "c"].map((v) =>
      writes.run(() => {
        seenByOthers.push(count());
        return db.query("INSERT INTO t (v) VALUES (?) RETURNING id").get(v) as { id: number };
      }),
    ),
  );
  // Another connection saw none of them before the one commit, then all three.
  expect(seenByOthers).toEqual([0, 0, 0]);
  expect(count()).toBe(3);
  expect(results.map((row) => row.id)).toEqual([1, 2, 3]);
});

test("a write that throws is undone alone: only its promise rejects", async () => {
  const { db, count, writes } = fresh();
  const insert = (v: string) => db.query("INSERT INTO t (v) VALUES (?)").run(v);
  const outcomes = await Promise.allSettled([
    writes.run(() => insert("x")),
    writes.run(() => {
      insert("half-done");
      insert("x"); // UNIQUE violation after a change that must not survive
    }),
    writes.run(() => insert("y")),
  ]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect(count()).toBe(2);
  expect(db.query("SELECT v FROM t ORDER BY id").all()).toEqual([{ v: "x" }, { v: "y" }]);
});

test("flush commits what is pending at once (before a close)", async () => {
  const { db, count, writes } = fresh();
  const done = writes.run(() => db.query("INSERT INTO t (v) VALUES ('z')").run());
  writes.flush();
  expect(count()).toBe(1);
  await done;
  db.close();
});

test("when idle a commit follows at once; while writes come fast it waits for the end of the turn and takes them all", async () => {
  let clock = 1_000;
  const { db, count, writes } = fresh(() => clock);
  const insert = (v: string) => () => db.query("INSERT INTO t (v) VALUES (?)").run(v);
  const idle = writes.run(insert("idle"));
  await Promise.resolve();
  await Promise.resolve();
  expect(count()).toBe(1); // committed before the turn ended
  await idle;
  clock += 1; // 1 ms later: under BUSY_MS since that commit
  // A commit just happened: writes of separate microtasks share the turn's one commit.
  const a = writes.run(insert("a"));
  await Promise.resolve();
  const b = writes.run(insert("b"));
  await Promise.resolve();
  expect(count()).toBe(1);
  await Promise.all([a, b]);
  expect(count()).toBe(3);
  clock += 5; // quiet again: the next write commits at once
  const late = writes.run(insert("late"));
  await Promise.resolve();
  await Promise.resolve();
  expect(count()).toBe(4);
  await late;
});

test("a write alone that throws rejects with its own error and leaves nothing behind", async () => {
  const { db, count, writes } = fresh();
  await writes.run(() => db.query("INSERT INTO t (v) VALUES ('taken')").run());
  const failing = writes.run(() => {
    db.query("INSERT INTO t (v) VALUES ('half-done')").run();
    db.query("INSERT INTO t (v) VALUES ('taken')").run();
  });
  await expect(failing).rejects.toThrow(/UNIQUE/);
  expect(count()).toBe(1);
});

test("a microtasks write commits once the queued microtasks ran, with its siblings, even while busy", async () => {
  let clock = 1_000;
  const { db, count, writes } = fresh(() => clock);
  const insert = (v: string) => () => db.query("INSERT INTO t (v) VALUES (?)").run(v);
  await writes.run(insert("first"));
  clock += 1; // busy: a plain write would wait for the end of the turn
  let turnEnded = false;
  setImmediate(() => (turnEnded = true));
  // Writes made as another commit's promises resolve: each in its own microtask.
  const siblings = Promise.all(
    ["a", "b", "c"].map((v) => Promise.resolve().then(() => writes.run(insert(v), { batch: "microtasks" }))),
  );
  const plain = writes.run(insert("plain"));
  await siblings;
  expect(turnEnded).toBe(false);
  // One commit took the three and the plain write already pending.
  expect(count()).toBe(5);
  await plain;
  expect(db.query("SELECT v FROM t ORDER BY id").all().map((row) => (row as { v: string }).v)).toEqual(["first", "plain", "a", "b", "c"]);
});
