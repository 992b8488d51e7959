import type { Config } from "../config/schema.ts";
import { openAppStore, postgresOptions } from "./app-store.ts";
import { openCheckpointer } from "./checkpointer.ts";
import { dataPaths } from "./paths.ts";

/**
 * Brings the configured storage to the newest schema (what every start also does) and says what
 * was done, one line each. Postgres steps run under advisory locks, so it is safe while nodes run
 * or start. Throws AppError `storage_unavailable` when Postgres cannot be reached.
 */
export async function migrateStorage(config: Config): Promise<string[]> {
  const postgres = postgresOptions(config);
  if (!postgres) {
    await openAndClose(config);
    return [`SQLite under ${dataPaths(config).dir}: app data and checkpoints are at the newest version`];
  }
  const [{ PostgresAppStore }, { redactUrl }] = await Promise.all([import("../storage/postgres/app-store.ts"), import("../storage/postgres/connect.ts")]);
  const store = await PostgresAppStore.open(postgres);
  const { from, to } = store.migration;
  await store.close();
  await openAndClose(config, true);
  const where = `PostgreSQL ${redactUrl(postgres.url)}, schema "${postgres.schema}"`;
  return [
    from === to ? `${where}: app data is at version ${to}, nothing to apply` : `${where}: app data migrated from version ${from} to ${to}`,
    `${where}: checkpoint tables are at the newest version`,
  ];
}

async function openAndClose(config: Config, checkpointsOnly = false): Promise<void> {
  if (!checkpointsOnly) await (await openAppStore(config)).close();
  await (await openCheckpointer(config)).close();
}
