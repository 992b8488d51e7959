import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { BaseCheckpointSaver, ERROR, TASKS, uuid6, type SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { CHECKPOINT_MIGRATIONS } from "../../src/checkpoint/sqlite-migrations.ts";
import { SqliteSaver } from "../../src/checkpoint/sqlite-saver.ts";
import { checkpointWith, loopMetadata, saverFiles, threadConfig } from "./helpers.ts";

let files: ReturnType<typeof saverFiles>;

/** Opens a saver on a file of this test's directory; closed after the test. */
const saverOn = (name?: string): SqliteSaver => files.open(name);

function countRows(db: Database, table: string, threadId: string): number {
  return db.query<{ n: number }, [string]>(`SELECT count(*) AS n FROM ${table} WHERE thread_id = ?`).get(threadId)!.n;
}

beforeEach(() => {
  files = saverFiles();
});

afterEach(() => files.close());

describe("SqliteSaver on a file", () => {
  test("fromPath opens the file in WAL mode with a busy timeout and synchronous=NORMAL", () => {
    const { db } = saverOn();
    expect(db.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
    expect(db.query<{ timeout: number }, []>("PRAGMA busy_timeout").get()?.timeout).toBe(5000);
    expect(db.query<{ synchronous: number }, []>("PRAGMA synchronous").get()?.synchronous).toBe(1);
  });

  test("reopening the file keeps checkpoints, their values and pending writes", async () => {
    const first = saverOn();
    const parent = await first.put(threadConfig("t1"), checkpointWith({ messages: ["hi"] }, { messages: 1 }), loopMetadata(0), {
      messages: 1,
    });
    const child = await first.put(parent, checkpointWith({ messages: ["hi", "there"] }, { messages: 2 }), loopMetadata(1), {
      messages: 2,
    });
    await first.putWrites(child, [["messages", ["again"]]], "task-1");
    first.db.close();

    const reopened = saverOn();
    const latest = await reopened.getTuple(threadConfig("t1"));
    expect(latest?.config).toEqual(child);
    expect(latest?.parentConfig).toEqual(parent);
    expect(latest?.checkpoint.channel_values).toEqual({ messages: ["hi", "there"] });
    expect(latest?.metadata).toEqual(loopMetadata(1));
    expect(latest?.pendingWrites).toEqual([["task-1", "messages", ["again"]]]);
    const history = [];
    for await (const tuple of reopened.list(threadConfig("t1"))) history.push(tuple.config);
    expect(history).toEqual([child, parent]);
  });

  test("two Database handles on one file see each other's writes", async () => {
    const writer = saverOn();
    const reader = saverOn();
    expect(await reader.getTuple(threadConfig("shared"))).toBeUndefined();

    const config = await writer.put(threadConfig("shared"), checkpointWith({ count: 1 }, { count: 1 }), loopMetadata(0), {
      count: 1,
    });
    expect((await reader.getTuple(threadConfig("shared")))?.checkpoint.channel_values).toEqual({ count: 1 });

    await reader.putWrites(config, [["count", 2]], "task-from-reader");
    expect((await writer.getTuple(config))?.pendingWrites).toEqual([["task-from-reader", "count", 2]]);

    await reader.deleteThread("shared");
    expect(await writer.getTuple(threadConfig("shared"))).toBeUndefined();
  });

  test("deleteThread removes checkpoints, channel values and writes of every namespace, and nothing else", async () => {
    const saver = saverOn();
    for (const threadId of ["doomed", "kept"]) {
      for (const namespace of ["", "child"]) {
        const config = await saver.put(threadConfig(threadId, namespace), checkpointWith({ a: 1 }, { a: 1 }), loopMetadata(0), {
          a: 1,
        });
        await saver.putWrites(config, [["a", 2]], "task");
      }
    }
    await saver.deleteThread("doomed");

    for (const table of ["checkpoints", "checkpoint_blobs", "checkpoint_writes"]) {
      expect(countRows(saver.db, table, "doomed")).toBe(0);
      expect(countRows(saver.db, table, "kept")).toBe(2);
    }
    expect(await saver.getTuple(threadConfig("doomed", "child"))).toBeUndefined();
    expect((await saver.getTuple(threadConfig("kept", "child")))?.pendingWrites).toEqual([["task", "a", 2]]);
  });
});

describe("schema setup", () => {
  const appliedVersions = (db: Database) =>
    db.query<{ v: number }, []>("SELECT v FROM checkpoint_migrations ORDER BY v").all().map((row) => row.v);
  const allVersions = CHECKPOINT_MIGRATIONS.map((_, version) => version);

  test("runs twice on one handle and on a second handle without error or duplicate versions", async () => {
    const first = saverOn();
    first.setup();
    first.setup();
    const second = saverOn();
    second.setup();
    expect(appliedVersions(first.db)).toEqual(allVersions);
    await second.put(threadConfig("t"), checkpointWith({}, {}), loopMetadata(0), {});
    expect(await first.getTuple(threadConfig("t"))).toBeDefined();
  });

  test("applies only the steps a database is missing", () => {
    const db = new Database(files.path("partial.sqlite"), { create: true });
    db.run("CREATE TABLE checkpoint_migrations (v INTEGER PRIMARY KEY)");
    db.run(CHECKPOINT_MIGRATIONS[0]!);
    db.run("INSERT INTO checkpoint_migrations (v) VALUES (0)");
    db.run("INSERT INTO checkpoints (thread_id, checkpoint_id, type, checkpoint) VALUES ('old', '1', 'json', x'7b7d')");

    new SqliteSaver(db).setup();
    expect(appliedVersions(db)).toEqual(allVersions);
    expect(countRows(db, "checkpoints", "old")).toBe(1);
    db.close();
  });

  test("leaves PRAGMA user_version alone for the app's own migrations in the same file", () => {
    const saver = saverOn();
    saver.db.run("PRAGMA user_version = 7");
    saver.setup();
    expect(saver.db.query<{ user_version: number }, []>("PRAGMA user_version").get()?.user_version).toBe(7);
  });
});

describe("behaviour beyond the validation suite", () => {
  test("list pages through more checkpoints than one query reads, newest first, honouring limit", async () => {
    const saver = saverOn();
    let config = threadConfig("long");
    const ids: string[] = [];
    for (let step = 0; step < 75; step++) {
      config = await saver.put(config, checkpointWith({ step }, { step: step + 1 }), loopMetadata(step), { step: step + 1 });
      ids.push(String(config.configurable?.checkpoint_id));
    }
    const listed = [];
    for await (const tuple of saver.list(threadConfig("long"))) listed.push(tuple.config.configurable?.checkpoint_id);
    expect(listed).toEqual(ids.toReversed());

    const limited = [];
    for await (const tuple of saver.list(threadConfig("long"), { limit: 40 })) limited.push(tuple.checkpoint.channel_values);
    expect(limited).toHaveLength(40);
    expect(limited.at(-1)).toEqual({ step: 35 });
  });

  test("list filters on metadata values of any JSON type and on keys needing escapes", async () => {
    const saver = saverOn();
    const metadata = [
      loopMetadata(0, { "user.id": "u1", flag: true, nested: { a: [1, "x"] }, nothing: null }),
      loopMetadata(1, { "user.id": "u2", flag: false, nested: { a: [2] } }),
    ];
    let config = threadConfig("filtered");
    for (const entry of metadata) config = await saver.put(config, checkpointWith({}, {}), entry, {});
    const steps = async (filter: Record<string, unknown>) => {
      const found = [];
      for await (const tuple of saver.list(threadConfig("filtered"), { filter })) found.push(tuple.metadata?.step);
      return found;
    };
    expect(await steps({ "user.id": "u2" })).toEqual([1]);
    expect(await steps({ flag: true })).toEqual([0]);
    expect(await steps({ flag: false, step: 1 })).toEqual([1]);
    expect(await steps({ nested: { a: [1, "x"] } })).toEqual([0]);
    expect(await steps({ nothing: null })).toEqual([0]);
    expect(await steps({ missing: "x" })).toEqual([]);
    expect(await steps({ skipped: undefined })).toEqual([1, 0]);
  });

  test("pending writes come back in writesSortKey order: task path, then task id, then index", async () => {
    const saver = saverOn();
    const config = await saver.put(threadConfig("order"), checkpointWith({}, {}), loopMetadata(0), {});
    await saver.putWrites(config, [["c", "z1"], ["c", "z2"]], "task-z", "~1");
    await saver.putWrites(config, [["c", "b"]], "task-b", "~0");
    await saver.putWrites(config, [["c", "a"]], "task-a", "~0");
    await saver.putWrites(config, [["c", "input"]], "task-input");
    const writes = (await saver.getTuple(config))?.pendingWrites?.map((write) => write[2]);
    expect(writes).toEqual(["input", "a", "b", "z1", "z2"]);
  });

  test("a repeated write keeps the first value, a repeated special write replaces it", async () => {
    const saver = saverOn();
    const config = await saver.put(threadConfig("repeat"), checkpointWith({}, {}), loopMetadata(0), {});
    await saver.putWrites(config, [["out", "first"]], "task");
    await saver.putWrites(config, [["out", "second"]], "task");
    await saver.putWrites(config, [[ERROR, "first failure"]], "task");
    await saver.putWrites(config, [[ERROR, "second failure"]], "task");
    expect((await saver.getTuple(config))?.pendingWrites).toEqual([
      ["task", ERROR, "second failure"],
      ["task", "out", "first"],
    ]);
  });

  test("channels named like Object.prototype members are ordinary channels", async () => {
    const saver = saverOn();
    const config = await saver.put(threadConfig("proto"), checkpointWith({ constructor: 1 }, { constructor: 1 }), loopMetadata(0), {
      constructor: 1,
    });
    await saver.putWrites(config, [["constructor", "x"], ["toString", "y"]], "task");
    const tuple = await saver.getTuple(config);
    expect(tuple?.pendingWrites).toEqual([
      ["task", "constructor", "x"],
      ["task", "toString", "y"],
    ]);
    expect(Object.hasOwn(tuple!.checkpoint.channel_values, "constructor")).toBe(true);
  });

  test("binary values round-trip as bytes", async () => {
    const saver = saverOn();
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const config = await saver.put(threadConfig("bytes"), checkpointWith({ file: bytes }, { file: 1 }), loopMetadata(0), {
      file: 1,
    });
    await saver.putWrites(config, [["file", new Uint8Array()]], "task");
    const tuple = await saver.getTuple(config);
    expect(tuple?.checkpoint.channel_values.file).toEqual(bytes);
    expect(tuple?.pendingWrites).toEqual([["task", "file", new Uint8Array()]]);
  });

  test("getDeltaChannelHistory matches the base class walk on a forked thread", async () => {
    const saver = saverOn();
    const root = await saver.put(threadConfig("delta"), checkpointWith({ log: ["seed"], other: 1 }, { log: 1, other: 1 }), loopMetadata(0), {
      log: 1,
      other: 1,
    });
    await saver.putWrites(root, [["log", "r1"], ["other", 2]], "task-b", "~0");
    await saver.putWrites(root, [["log", "r0"]], "task-a", "~0");
    const middle = await saver.put(root, checkpointWith({ other: 2 }, { log: 2, other: 2 }), loopMetadata(1), { log: 2, other: 2 });
    await saver.putWrites(middle, [["log", "m0"]], "task-c");
    // A sibling branch from root whose writes must not leak into the walk from `middle`.
    const sibling = await saver.put(root, checkpointWith({}, { log: 2 }), loopMetadata(1), { log: 2 });
    await saver.putWrites(sibling, [["log", "sibling"]], "task-s");
    const tip = await saver.put(middle, checkpointWith({}, { log: 3, other: 2 }), loopMetadata(2), { log: 3 });
    await saver.putWrites(tip, [["log", "pending"]], "task-d");

    for (const config of [tip, middle, root, threadConfig("delta"), { configurable: { thread_id: "nope" } }]) {
      const options = { config, channels: ["log", "other", "absent"] };
      const ours = await saver.getDeltaChannelHistory(options);
      const base = await BaseCheckpointSaver.prototype.getDeltaChannelHistory.call(saver, options);
      expect(ours).toEqual(base);
    }
    const fromTip = await saver.getDeltaChannelHistory({ config: tip, channels: ["log"] });
    expect(fromTip.log).toEqual({
      seed: ["seed"],
      writes: [
        ["task-a", "log", "r0"],
        ["task-b", "log", "r1"],
        ["task-c", "log", "m0"],
      ],
    });
  });

  test("checkpoint ids from another thread do not collide", async () => {
    const saver = saverOn();
    const id = uuid6(3);
    const checkpoint = { ...checkpointWith({ who: "a" }, { who: 1 }), id };
    await saver.put(threadConfig("a"), checkpoint, loopMetadata(0), { who: 1 });
    await saver.put(threadConfig("b"), { ...checkpoint, channel_values: { who: "b" } }, loopMetadata(0), { who: 1 });
    expect((await saver.getTuple(threadConfig("a")))?.checkpoint.channel_values).toEqual({ who: "a" });
    expect((await saver.getTuple(threadConfig("b")))?.checkpoint.channel_values).toEqual({ who: "b" });
    const all = [];
    for await (const tuple of saver.list({ configurable: {} })) all.push(tuple.config.configurable?.thread_id);
    expect(all.sort()).toEqual(["a", "b"]);
  });

  test("a pre-v4 checkpoint gets its parent's pending sends as the TASKS channel", async () => {
    const saver = saverOn();
    const legacy = (id: string) => ({ v: 1, id, ts: "2024-04-19T17:19:07.952Z", channel_values: {}, channel_versions: { a: 3 }, versions_seen: {} });
    const parent = await saver.put(threadConfig("legacy"), legacy(uuid6(3)), loopMetadata(0), {});
    await saver.putWrites(parent, [[TASKS, "send-2"]], "task-2");
    await saver.putWrites(parent, [[TASKS, "send-1"], ["other", "not a send"]], "task-1");
    const child = await saver.put(parent, legacy(uuid6(3)), loopMetadata(1), {});
    const tuple = await saver.getTuple(child);
    expect(tuple?.checkpoint.channel_values).toEqual({ [TASKS]: ["send-1", "send-2"] });
    expect(tuple?.checkpoint.channel_versions).toEqual({ a: 3, [TASKS]: 3 });
    expect((await saver.getTuple(parent))?.checkpoint.channel_values).toEqual({});
  });

  test("put and putWrites reject a config that does not say where to store", async () => {
    const saver = saverOn();
    const checkpoint = checkpointWith({}, {});
    await expect(saver.put({}, checkpoint, loopMetadata(0), {})).rejects.toThrow(/configurable/);
    await expect(saver.put({ configurable: {} }, checkpoint, loopMetadata(0), {})).rejects.toThrow(/thread_id/);
    await expect(saver.putWrites(threadConfig("t"), [["a", 1]], "task")).rejects.toThrow(/checkpoint_id/);
    await expect(saver.putWrites({ configurable: { checkpoint_id: "1" } }, [["a", 1]], "task")).rejects.toThrow(/thread_id/);
    expect(await saver.getTuple({ configurable: {} })).toBeUndefined();
  });

  test("a serializer that does not produce JSON metadata is refused, since list filters query it", async () => {
    const opaque: SerializerProtocol = {
      dumpsTyped: async (data) => ["opaque", new TextEncoder().encode(JSON.stringify(data))],
      loadsTyped: async (_type, data) => JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data)),
    };
    const saver = new SqliteSaver(saverOn().db, opaque);
    await expect(saver.put(threadConfig("t"), checkpointWith({}, {}), loopMetadata(0), {})).rejects.toThrow(/JSON/);
  });
});
