import { Database } from "bun:sqlite";
import type postgres from "postgres";
import { existsSync } from "node:fs";
import type { CheckpointTuple, PendingWrite } from "@langchain/langgraph-checkpoint";
import type { PooledPostgresSaver } from "../checkpoint/postgres-saver.ts";
import { SqliteSaver } from "../checkpoint/sqlite-saver.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import { postgresOptions } from "./app-store.ts";
import { dataPaths } from "./paths.ts";

/** The app tables, parents before children (foreign keys). */
const TABLES = ["users", "conversations", "sessions", "tasks", "projects", "guard_reports", "task_usage"] as const;
const BATCH = 500;

/**
 * Copies a single node's SQLite data — `agentd.db` (accounts, sessions, conversations, tasks,
 * projects, guard reports, usage) and `checkpoints.db` (every conversation's history) under
 * `fromDir` — into the configured Postgres, migrating it first: what an operator does once when
 * growing from one node to several. Rows and checkpoints already in Postgres are kept as they are,
 * so it may be run again (e.g. after a failed attempt). Tasks still queued or running are queued
 * again by the first node that starts (its task recovery). The event log is not copied: clients
 * reload once (a new epoch). Returns what was done, one line each.
 */
export async function importSqliteData(config: Config, fromDir: string): Promise<string[]> {
  const postgres = postgresOptions(config);
  if (!postgres) throw new AppError("bad_request", "agentd migrate --from-sqlite copies into Postgres: set postgres.url first.");
  const paths = dataPaths({ ...config, data_dir: fromDir });
  if (!existsSync(paths.appDb)) throw new AppError("bad_request", `No agentd data in ${fromDir}: ${paths.appDb} does not exist.`);
  const [{ PostgresAppStore }, { connectPostgres }, { openPostgresSaver }] = await Promise.all([
    import("../storage/postgres/app-store.ts"),
    import("../storage/postgres/connect.ts"),
    import("../checkpoint/postgres-saver.ts"),
  ]);
  await (await PostgresAppStore.open(postgres)).close(); // migrates
  const lines: string[] = [];
  const sqlite = new Database(paths.appDb, { readonly: true });
  const sql = connectPostgres({ ...postgres, poolMax: 1 });
  try {
    await sql.begin(async (tx) => {
      for (const table of TABLES) {
        const types = new Map(
          (
            await tx<{ column_name: string; data_type: string }[]>`
              SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ${postgres.schema} AND table_name = ${table}`
          ).map((column) => [column.column_name, column.data_type]),
        );
        const rows = sqlite.query(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
        const columns = Object.keys(rows[0] ?? {}).filter((column) => types.has(column));
        let copied = 0;
        for (let start = 0; start < rows.length; start += BATCH) {
          const batch = rows.slice(start, start + BATCH).map((row) => toPostgres(row, columns, types, tx.json));
          copied += (await tx`INSERT INTO ${tx(table)} ${tx(batch as Record<string, postgres.ParameterOrJSON<never>>[], ...columns)} ON CONFLICT DO NOTHING`).count;
        }
        lines.push(`${table}: ${copied} of ${rows.length} copied${copied < rows.length ? " (the rest were there already)" : ""}`);
      }
    });
  } finally {
    sqlite.close();
    await sql.end();
  }
  if (existsSync(paths.checkpoints)) lines.push(await copyCheckpoints(paths.checkpoints, await openPostgresSaver(postgres)));
  return lines;
}

/** SQLite keeps booleans as 0/1 and JSON as text; Postgres has types for both. */
function toPostgres(row: Record<string, unknown>, columns: string[], types: Map<string, string>, json: (value: never) => unknown) {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const value = row[column];
    const type = types.get(column);
    out[column] = value === null ? null : type === "boolean" ? Boolean(value) : type === "jsonb" ? json(JSON.parse(String(value)) as never) : value;
  }
  return out;
}

/** Every checkpoint of every conversation, oldest first, with its pending writes. */
async function copyCheckpoints(path: string, target: PooledPostgresSaver): Promise<string> {
  const source = SqliteSaver.fromPath(path);
  try {
    source.setup();
    const tuples: CheckpointTuple[] = [];
    for await (const tuple of source.list({})) tuples.push(tuple);
    const threads = new Set<string>();
    for (const tuple of tuples.reverse()) {
      const { thread_id, checkpoint_ns = "" } = tuple.config.configurable ?? {};
      threads.add(String(thread_id));
      const parent = tuple.parentConfig?.configurable?.checkpoint_id;
      await target.put({ configurable: { thread_id, checkpoint_ns, ...(parent ? { checkpoint_id: parent } : {}) } }, tuple.checkpoint, tuple.metadata!, tuple.checkpoint.channel_versions);
      const byTask = new Map<string, PendingWrite[]>();
      for (const [taskId, channel, value] of tuple.pendingWrites ?? []) {
        if (!byTask.has(taskId)) byTask.set(taskId, []);
        byTask.get(taskId)!.push([channel, value]);
      }
      for (const [taskId, writes] of byTask) {
        await target.putWrites({ configurable: { thread_id, checkpoint_ns, checkpoint_id: tuple.checkpoint.id } }, writes, taskId);
      }
    }
    return `checkpoints: ${tuples.length} copied, of ${threads.size} conversations`;
  } finally {
    source.db.close();
    await target.end();
  }
}
