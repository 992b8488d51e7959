import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { walThreadUrl } from "../../src/app/worker-url.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import { openNodeCheckpointer, socketThreadSqliteFiles } from "../../src/app/local-state.ts";
import { SqliteSaver } from "../../src/checkpoint/sqlite-saver.ts";
import { createLogger, silentLogger } from "../../src/log.ts";
import { startTestAgentd } from "../helpers/agentd.ts";
import { openDatabase } from "../../src/storage/sqlite/open.ts";
import { BACKGROUND_WAL_PAGES, WalCheckpoints } from "../../src/storage/sqlite/wal-checkpoints.ts";

const dir = mkdtempSync(join(tmpdir(), "agentd-wal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ~`pages` pages of new rows, in commits of 50. */
function writePages(db: ReturnType<typeof openDatabase>, pages: number): void {
  const insert = db.query("INSERT INTO t (v) VALUES (randomblob(4000))");
  for (let i = 0; i < pages; i += 50) db.transaction(() => {
    for (let j = 0; j < 50; j++) insert.run();
  })();
}

test("the WAL thread checkpoints a file whose own connection does not, so its log stops growing", async () => {
  const path = join(dir, "busy.db");
  const db = openDatabase(path, { autoCheckpointPages: BACKGROUND_WAL_PAGES });
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
  expect((db.query("PRAGMA wal_autocheckpoint").get() as { wal_autocheckpoint: number }).wal_autocheckpoint).toBe(BACKGROUND_WAL_PAGES);
  const wal = await WalCheckpoints.start(walThreadUrl(), [path], 20, silentLogger);
  try {
    writePages(db, 1_500); // past SQLite's default of 1,000 pages, in one run: this connection would have checkpointed
    const walBytes = statSync(`${path}-wal`).size;
    expect(walBytes).toBeGreaterThan(1_000 * 4_096);
    let report = await wal.nextCheckpoint(path);
    while (report.frames < report.walFrames) report = await wal.nextCheckpoint(path);
    // All of it is in the file now: later commits, with pauses as a server has them, start the log
    // over (a few frames a round) instead of growing it. A round that begins while a checkpoint
    // runs cannot restart the log and appends, so the first rounds may still grow the file (up to
    // four in a row on a loaded machine); once it restarted, the log stays far from its end.
    const rounds: number[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < 20; i++) {
      writePages(db, 50);
      rounds.push((await wal.nextCheckpoint(path)).walFrames);
      sizes.push(statSync(`${path}-wal`).size);
    }
    expect(Math.min(...rounds.slice(0, 10))).toBeLessThan(200);
    expect(sizes[19]).toBe(sizes[9]!); // 10 rounds of 50 pages, and not one byte more log
    expect((db.query("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n).toBe(2_500);
  } finally {
    await wal.stop();
  }
  // The thread closed its connection: the last one to close removes the log.
  db.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
});

test("a thread that cannot load fails the start instead of hanging it", async () => {
  const missing = new URL("./no-such-thread.ts", import.meta.url).href;
  await expect(WalCheckpoints.start(missing, [join(dir, "x.db")], 20, silentLogger)).rejects.toThrow(/WAL checkpoint thread failed/);
});

test("a file it cannot checkpoint is reported once, as a warning, and the others go on", async () => {
  const good = join(dir, "good.db");
  const db = openDatabase(good, { autoCheckpointPages: BACKGROUND_WAL_PAGES });
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
  const warnings: string[] = [];
  const log = { ...silentLogger, warn: (msg: string) => void warnings.push(msg) };
  const bad = join(dir, "not-a-database.db");
  await Bun.write(bad, "this is not a SQLite file, just text long enough to have a header ".repeat(10));
  const wal = await WalCheckpoints.start(walThreadUrl(), [bad, good], 10, log);
  try {
    writePages(db, 100);
    for (let i = 0; i < 3; i++) expect((await wal.nextCheckpoint(good)).walFrames).toBeGreaterThanOrEqual(0);
    expect(warnings).toEqual(["background WAL checkpoint failed; the file's own connection checkpoints it past its limit"]);
  } finally {
    await wal.stop();
    db.close();
  }
});

test("a node checkpoints in the background exactly the SQLite files its socket thread writes", () => {
  const config = (input: object) => ConfigSchema.parse({ data_dir: "/data", ...input });
  const names = (files: string[]) => files.map((file) => file.split("/").pop());
  const local = { events: false, queue: false };
  // Agents on worker threads: they checkpoint the LangGraph checkpoints' file themselves.
  expect(names(socketThreadSqliteFiles(config({ workers: { threads: 1 } }), local))).toEqual(["agentd.db", "events.db", "queue.db"]);
  // Agents on the socket thread (`workers.threads: 0`, also "auto" on one core): that file too.
  expect(names(socketThreadSqliteFiles(config({ workers: { threads: 0 } }), local))).toEqual(["agentd.db", "checkpoints.db", "events.db", "queue.db"]);
  expect(names(socketThreadSqliteFiles(config({ workers: { threads: 1 }, events: { backend: "memory" }, queue: { backend: "memory" } }), local))).toEqual(["agentd.db"]);
  // Redis + Postgres: nothing of the node's own on SQLite.
  expect(socketThreadSqliteFiles(config({ workers: { threads: 0 }, postgres: { url: "postgres://127.0.0.1/test" } }), { events: true, queue: true })).toEqual([]);
});

test("agentd runs the WAL thread on its files and closes it before them", async () => {
  const lines: { msg: string; files?: string[] }[] = [];
  const logger = createLogger("debug", (line) => lines.push(JSON.parse(line)));
  const agentd = await startTestAgentd({ workers: { threads: 0 } }, { logger });
  const files = socketThreadSqliteFiles(agentd.config, { events: false, queue: false });
  try {
    expect(lines.find((line) => line.msg === "WAL checkpoint thread started")?.files).toEqual(files);
    // The agents run on the socket thread here: their checkpoints' file is the WAL thread's too.
    expect(files.map((file) => file.split("/").pop())).toContain("checkpoints.db");
    await agentd.addUser("wal");
    for (const file of files) expect(existsSync(`${file}-wal`)).toBe(true);
    await agentd.server.stop();
    // Every connection closed, the WAL thread's too: the last to close removed each log.
    expect(files.filter((file) => existsSync(`${file}-wal`))).toEqual([]);
  } finally {
    await agentd.close();
  }
});

test("a checkpoint saver's connection can leave checkpointing its file to the WAL thread", () => {
  const path = join(dir, "saver.db");
  const pages = (saver: SqliteSaver) => (saver.db.query("PRAGMA wal_autocheckpoint").get() as { wal_autocheckpoint: number }).wal_autocheckpoint;
  const background = SqliteSaver.fromPath(path, undefined, { autoCheckpointPages: BACKGROUND_WAL_PAGES });
  const own = SqliteSaver.fromPath(path);
  try {
    expect(pages(background)).toBe(BACKGROUND_WAL_PAGES);
    expect(pages(own)).toBe(1_000);
  } finally {
    background.db.close();
    own.db.close();
  }
});

test("the node's own checkpointer connection leaves checkpointing to the WAL thread exactly when that thread has the file", async () => {
  const pagesWith = async (threads: number) => {
    const dataDir = join(dir, `node-${threads}`);
    mkdirSync(dataDir);
    const checkpoints = await openNodeCheckpointer(ConfigSchema.parse({ data_dir: dataDir, workers: { threads } }));
    try {
      return ((checkpoints.saver as SqliteSaver).db.query("PRAGMA wal_autocheckpoint").get() as { wal_autocheckpoint: number }).wal_autocheckpoint;
    } finally {
      await checkpoints.close();
    }
  };
  expect(await pagesWith(0)).toBe(BACKGROUND_WAL_PAGES);
  expect(await pagesWith(1)).toBe(1_000);
});
