import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.ts";
import { MIGRATIONS } from "../../src/storage/postgres/migrations.ts";
import type { Sql } from "postgres";
import { requirePostgres } from "../helpers/services.ts";

const dir = mkdtempSync(join(tmpdir(), "agentd-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const projectRoot = join(import.meta.dir, "..", "..");

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { AGENTD_DATA_DIR: join(dir, "data"), AGENTD_SERVER__HOST: "127.0.0.1", AGENTD_SERVER__PORT: "0", AGENTD_WORKERS__THREADS: "0", ...env },
    cwd: dir,
    readStdin: async () => "",
  });
  return { code, stdout, stderr };
}

// Nothing listens on port 1: the connection is refused at once.
const UNREACHABLE = "postgres://agentd:hunter2-secret@127.0.0.1:1/agentd";

describe("agentd migrate", () => {
  test("on a single node it brings the SQLite files up to date", async () => {
    const { code, stdout } = await cli(["migrate"]);
    expect(code).toBe(0);
    expect(stdout).toContain("SQLite under");
  });

  test("refuses stray arguments", async () => {
    const { code, stderr } = await cli(["migrate", "now"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unexpected argument "now"');
  });

  test("--from-sqlite needs a directory and postgres.url; a directory without agentd data is a clear error", async () => {
    expect(await cli(["migrate", "--from-sqlite"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--from-sqlite takes the data directory") });
    expect(await cli(["migrate", "--from-sqlite", dir])).toMatchObject({ code: 2, stderr: expect.stringContaining("set postgres.url") });
    const postgres = await requirePostgres();
    if (!postgres) return;
    const schema = await postgres.createSchema();
    try {
      const empty = mkdtempSync(join(dir, "empty-"));
      const { code, stderr } = await cli(["migrate", "--from-sqlite", empty], { AGENTD_POSTGRES__URL: postgres.url, AGENTD_POSTGRES__SCHEMA: schema });
      expect(code).toBe(1);
      expect(stderr).toContain(`No agentd data in ${empty}`);
    } finally {
      await postgres.close();
    }
  });

  test("an unreachable Postgres is a clear error and exit 1, without the password", async () => {
    const { code, stderr } = await cli(["migrate"], { AGENTD_POSTGRES__URL: UNREACHABLE });
    expect(code).toBe(1);
    expect(stderr).toContain("PostgreSQL at postgres://agentd:***@127.0.0.1:1/agentd cannot be reached");
    expect(stderr).toContain("postgres.url");
    expect(stderr).not.toContain("hunter2");
  });

  test("serve with an unreachable Postgres exits 1 naming the problem (no fallback to SQLite)", async () => {
    const { code, stderr, stdout } = await cli(["serve"], { AGENTD_POSTGRES__URL: UNREACHABLE });
    expect(code).toBe(1);
    const line = JSON.parse(stderr.trim().split("\n").at(-1)!);
    expect(line).toMatchObject({ level: "error", msg: "agentd could not start" });
    expect(line.error.message).toContain("cannot be reached");
    expect(stdout).not.toContain("agentd listening");
  });

  test("user commands against an unreachable Postgres fail with the reason", async () => {
    const { code, stderr } = await cli(["user", "list"], { AGENTD_POSTGRES__URL: UNREACHABLE });
    expect(code).toBe(1);
    expect(stderr).toContain("cannot be reached");
  });
});

const postgres = await requirePostgres();
if (postgres) {
  test("two `agentd migrate` processes at once on a fresh schema: each step applied exactly once", async () => {
    const schema = await postgres.createSchema();
    await postgres.dropSchema(schema); // fresh: the command must create it too
    const env = { ...process.env, AGENTD_POSTGRES__URL: postgres.url, AGENTD_POSTGRES__SCHEMA: schema, AGENTD_DATA_DIR: join(dir, "unused") };
    const run = () => {
      const child = Bun.spawn([process.execPath, "src/main.ts", "migrate"], { cwd: projectRoot, env, stdout: "pipe", stderr: "pipe" });
      return Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
    };
    try {
      await migrateTwiceAtOnce(postgres.sql, schema, run);
    } finally {
      await postgres.sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  }, 30_000);

  async function migrateTwiceAtOnce(sql: Sql, schema: string, run: () => Promise<[number, string, string]>) {
    const results = await Promise.all([run(), run()]);
    for (const [code, , stderr] of results) expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const said = results.map(([, stdout]) => stdout).join("");
    expect(said).toContain(`app data migrated from version 0 to ${MIGRATIONS.length}`);
    expect(said).toContain(`app data is at version ${MIGRATIONS.length}, nothing to apply`);

    const applied = await sql.unsafe(`SELECT version FROM "${schema}".agentd_migrations ORDER BY version`);
    expect(applied.map((row) => row.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    const checkpointSteps = await sql.unsafe(`SELECT v, count(*)::int AS n FROM "${schema}".checkpoint_migrations GROUP BY v ORDER BY v`);
    expect(checkpointSteps.length).toBeGreaterThan(0);
    expect(checkpointSteps.every((row) => row.n === 1)).toBe(true);
    const tables = await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = ${schema} ORDER BY table_name`;
    expect(tables.map((row) => row.table_name)).toEqual(
      ["agentd_migrations", "checkpoint_blobs", "checkpoint_migrations", "checkpoint_writes", "checkpoints", "conversations", "guard_reports", "projects", "sessions", "task_usage", "tasks", "users"],
    );
  }
  afterAll(() => postgres.close());
}
