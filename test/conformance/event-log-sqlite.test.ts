import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../src/clock.ts";
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

describe("SQLite event log: write-behind", () => {
  const options = { maxPerConversation: 100, maxAgeMs: 60_000, clock: systemClock };
  const delta = (text: string) => ({ type: "message.delta" as const, messageId: "m1", text });
  const rowsIn = (path: string) => {
    const reader = new Database(path, { readonly: true });
    try {
      const rows = reader.query("SELECT body FROM event_chunks WHERE conversation_id = 'c1' ORDER BY last_seq").all() as { body: string }[];
      return rows.flatMap((row) => (JSON.parse(row.body) as { seq: number }[]).map((event) => event.seq));
    } finally {
      reader.close();
    }
  };

  test("deltas reach the file once writeBehindMs old, without a read; any other event is written before it is handed back", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const writeBehindMs = 250;
    const log = new SqliteEventLog(openDatabase(path), options, { writeBehindMs });
    await log.append("c1", delta("a")); // the first takes the stream's reservation: written at once
    await log.append("c1", delta("b"));
    await log.append("c1", delta("c"));
    expect(rowsIn(path)).toEqual([1]);
    await Bun.sleep(writeBehindMs * 3);
    expect(rowsIn(path)).toEqual([1, 2, 3]);
    await log.append("c1", delta("d"));
    await log.append("c1", { type: "message.end", messageId: "m1", reason: "completed" });
    expect(rowsIn(path)).toEqual([1, 2, 3, 4, 5]);
    await log.close();
  });

  test("each conversation is written when its own oldest unwritten delta is due, not all at once", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const writeBehindMs = 150;
    const log = new SqliteEventLog(openDatabase(path), options, { writeBehindMs });
    const reader = new Database(path, { readonly: true });
    const written = (id: string) => (reader.query("SELECT SUM(last_seq - first_seq + 1) AS n FROM event_chunks WHERE conversation_id = ?").get(id) as { n: number }).n;
    for (const id of ["a", "b"]) await log.append(id, delta("reserve")); // written at once (reservation)
    const appendedAt: Record<string, number> = {};
    const writtenAt: Record<string, number> = {};
    appendedAt.a = performance.now();
    await log.append("a", delta("a2"));
    await Bun.sleep(writeBehindMs);
    appendedAt.b = performance.now();
    await log.append("b", delta("b2"));
    // Watch the file: when does each conversation's second row appear?
    const deadline = performance.now() + 5_000;
    while (Object.keys(writtenAt).length < 2 && performance.now() < deadline) {
      for (const id of ["a", "b"]) if (!writtenAt[id] && written(id) === 2) writtenAt[id] = performance.now();
      await Bun.sleep(5);
    }
    reader.close();
    await log.close();
    // Neither before its own delta was due; a's long before b's (b's was appended writeBehindMs later).
    expect(writtenAt.a! - appendedAt.a!).toBeGreaterThanOrEqual(writeBehindMs - 2);
    expect(writtenAt.b! - appendedAt.b!).toBeGreaterThanOrEqual(writeBehindMs - 2);
    expect(writtenAt.a!).toBeLessThan(writtenAt.b!);
  });

  test("a write that fails (the file is locked): the append rejects with storage_unavailable, the failure is reported, and the event is kept and written once the file is free", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const db = new Database(path, { create: true, strict: true });
    db.exec("PRAGMA journal_mode = WAL");
    const errors: unknown[] = [];
    const log = new SqliteEventLog(db, options, { writeBehindMs: 50, onWriteError: (error) => errors.push(error) });
    const locker = new Database(path);
    locker.exec("BEGIN IMMEDIATE");
    await expect(log.append("c1", delta("a"))).rejects.toMatchObject({ code: "storage_unavailable" });
    expect(errors.length).toBe(1);
    await Bun.sleep(120);
    expect(errors.length).toBeGreaterThan(1); // retried while the lock is held
    locker.exec("COMMIT");
    locker.close();
    await Bun.sleep(120);
    expect(rowsIn(path)).toEqual([1]);
    expect((await log.readAfter("c1", 0))?.map((event) => event.seq)).toEqual([1]);
    await log.close();
  });

  test("after a kill -9 the next open skips the seqs that may have been handed out: same epoch, no seq reused", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const child = Bun.spawn(
      [
        process.execPath,
        "-e",
        `const { SqliteEventLog } = await import(${JSON.stringify(Bun.resolveSync("../../src/events/sqlite.ts", import.meta.dir))});
         const { openDatabase } = await import(${JSON.stringify(Bun.resolveSync("../../src/storage/sqlite/open.ts", import.meta.dir))});
         const log = new SqliteEventLog(openDatabase(${JSON.stringify(path)}), { maxPerConversation: 100, maxAgeMs: 60000, clock: { now: () => Date.now() } });
         await log.append("c1", { type: "message.delta", messageId: "m1", text: "written" });
         await log.append("c1", { type: "message.delta", messageId: "m1", text: "never written" });
         console.log(await log.epoch("c1"));
         process.kill(process.pid, "SIGKILL");`,
      ],
      { stdout: "pipe", stderr: "inherit" },
    );
    const epoch = (await new Response(child.stdout).text()).trim();
    expect(await child.exited).not.toBe(0);
    expect(rowsIn(path)).toEqual([1]);
    const log = new SqliteEventLog(openDatabase(path), options);
    expect(await log.epoch("c1")).toBe(epoch);
    const skippedTo = await log.lastSeq("c1");
    expect(skippedTo).toBeGreaterThanOrEqual(2);
    const reset = await log.append("c1", { type: "message.reset", messageId: "m1" });
    expect(reset.seq).toBe(skippedTo + 1);
    // A client that saw seq 2 resumes in the same epoch and gets the reset next.
    expect(await log.readAfter("c1", 2)).toEqual([reset]);
    expect((await log.readAfter("c1", 0))?.map((event) => event.seq)).toEqual([1, reset.seq]);
    await log.close();
    // After a clean stop nothing is skipped.
    const again = new SqliteEventLog(openDatabase(path), options);
    expect(await again.lastSeq("c1")).toBe(reset.seq);
    await again.close();
  });
});

describe("SQLite event log: one row per write", () => {
  const options = { maxPerConversation: 100, maxAgeMs: 60_000, clock: systemClock };
  const delta = (text: string, messageId = "m1") => ({ type: "message.delta" as const, messageId, text });
  const end = (messageId = "m1") => ({ type: "message.end" as const, messageId, reason: "completed" as const });

  test("a reply's deltas and its end are stored as one row; reads start anywhere inside it", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const log = new SqliteEventLog(openDatabase(path), options);
    await log.append("c1", delta("first")); // the stream's first write (its reservation)
    for (let i = 0; i < 49; i++) await log.append("c1", delta(`t${i}`));
    await log.append("c1", end());
    const reader = new Database(path, { readonly: true });
    expect(reader.query("SELECT first_seq, last_seq FROM event_chunks WHERE conversation_id = 'c1' ORDER BY last_seq").all()).toEqual([
      { first_seq: 1, last_seq: 1 },
      { first_seq: 2, last_seq: 51 },
    ]);
    reader.close();
    expect((await log.readAfter("c1", 30))?.map((event) => event.seq)).toEqual(Array.from({ length: 21 }, (_, i) => 31 + i));
    expect((await log.readAfter("c1", 0))?.length).toBe(51);
    await log.close();
  });

  test("ends of many conversations appended at once are all written before any is handed back", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const log = new SqliteEventLog(openDatabase(path), options);
    const ids = Array.from({ length: 20 }, (_, i) => `c${i}`);
    for (const id of ids) await log.append(id, delta("a"));
    const reader = new Database(path, { readonly: true });
    const ends = await Promise.all(
      ids.map((id) =>
        log.append(id, end()).then((event) => {
          const row = reader.query("SELECT MAX(last_seq) AS seq FROM event_chunks WHERE conversation_id = ?").get(id) as { seq: number };
          return [event.seq, row.seq];
        }),
      ),
    );
    expect(ends).toEqual(ids.map(() => [2, 2]));
    reader.close();
    await log.close();
  });

  test("positions trimmed by maxPerConversation stay unresumable after a restart, though their row holds newer events", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const first = new SqliteEventLog(openDatabase(path), { ...options, maxPerConversation: 3 });
    for (let i = 0; i < 6; i++) await first.append("c1", delta(`t${i}`));
    await first.append("c1", end()); // seq 7: rows [1] and [2..7]; only 5, 6 and 7 are kept
    expect(await first.readAfter("c1", 4)).toHaveLength(3);
    expect(await first.readAfter("c1", 3)).toBeNull();
    await first.close();
    const again = new SqliteEventLog(openDatabase(path), { ...options, maxPerConversation: 3 });
    expect((await again.readAfter("c1", 4))?.map((event) => event.seq)).toEqual([5, 6, 7]);
    expect(await again.readAfter("c1", 3)).toBeNull();
    await again.close();
  });

  test("a file from before chunks (one row per event) is upgraded in place: its events stay resumable", async () => {
    const path = join(dir, `${crypto.randomUUID()}.db`);
    const old = openDatabase(path);
    old.exec(`CREATE TABLE event_streams (conversation_id TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0, settled_seq INTEGER NOT NULL DEFAULT 0, reserved_seq INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE events (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (conversation_id, seq)) WITHOUT ROWID;
      CREATE TABLE event_log_state (id INTEGER PRIMARY KEY CHECK (id = 1), clean INTEGER NOT NULL);
      INSERT INTO event_log_state VALUES (1, 1);
      INSERT INTO event_streams VALUES ('c1', 'epoch-1', 3, 3, 1003);`);
    const insert = old.query("INSERT INTO events VALUES ('c1', ?, ?, ?)");
    const events = [{ ...delta("a"), seq: 1 }, { ...delta("b"), seq: 2 }, { ...end(), seq: 3 }];
    for (const event of events) insert.run(event.seq, Date.now(), JSON.stringify(event));
    old.close();
    const log = new SqliteEventLog(openDatabase(path), options);
    expect(await log.epoch("c1")).toBe("epoch-1");
    expect(await log.readAfter("c1", 1)).toEqual(events.slice(1));
    expect((await log.append("c1", delta("c", "m2"))).seq).toBe(4);
    expect((await log.readAfter("c1", 0))?.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    await log.close();
    const reader = new Database(path, { readonly: true });
    expect(reader.query("SELECT name FROM sqlite_master WHERE name = 'events'").get()).toBeNull();
    reader.close();
  });
});
