import type { Config } from "../config/schema.ts";
import type { AppStore } from "../storage/app-store.ts";
import { SqliteAppStore } from "../storage/sqlite/app-store.ts";
import { dataPaths } from "./paths.ts";

/** The Postgres connection settings of this config, or null on a single node. */
export function postgresOptions(config: Config) {
  const { url, schema, pool_min, pool_max, connect_timeout_ms } = config.postgres;
  return url ? { url, schema, poolMin: pool_min, poolMax: pool_max, connectTimeoutMs: connect_timeout_ms } : null;
}

/**
 * The app store this config names: Postgres (migrated under an advisory lock) when `postgres.url`
 * is set, else SQLite under data_dir. Throws AppError `storage_unavailable` when Postgres cannot be
 * reached. (Postgres code is loaded only when configured: a single node, and each of its worker
 * threads, starts without it.)
 */
export async function openAppStore(config: Config, options: { autoCheckpointPages?: number } = {}): Promise<AppStore> {
  const postgres = postgresOptions(config);
  if (!postgres) return SqliteAppStore.open(dataPaths(config).appDb, options);
  const { PostgresAppStore } = await import("../storage/postgres/app-store.ts");
  return PostgresAppStore.open(postgres);
}
