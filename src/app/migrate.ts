import type { Config } from "../config/schema.ts";
import { redactUrl } from "../storage/postgres/connect.ts";
import { PostgresAppStore } from "../storage/postgres/app-store.ts";
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
  const store = await openAppStore(config);
  try {
    const checkpoints = await openCheckpointer(config);
    await checkpoints.close();
  } finally {
    await store.close();
  }
  if (!postgres || !(store instanceof PostgresAppStore)) {
    return [`SQLite under ${dataPaths(config).dir}: app data and checkpoints are at the newest version`];
  }
  const { from, to } = store.migration;
  const where = `PostgreSQL ${redactUrl(postgres.url)}, schema "${postgres.schema}"`;
  return [
    from === to ? `${where}: app data is at version ${to}, nothing to apply` : `${where}: app data migrated from version ${from} to ${to}`,
    `${where}: checkpoint tables are at the newest version`,
  ];
}
