import { importSqliteData } from "../app/import-sqlite.ts";
import { migrateStorage } from "../app/migrate.ts";
import { AppError } from "../errors.ts";
import { extractConfigFlag, loadConfigOrReport, type CommandIo } from "./config-command.ts";

/**
 * `agentd migrate [--config FILE] [--from-sqlite DATA_DIR]`: applies pending schema migrations to
 * the configured storage (Postgres when postgres.url is set) and exits 0; with `--from-sqlite`, also
 * copies a single node's SQLite data from DATA_DIR into Postgres. 1 when the storage cannot be
 * reached, 2 on a bad configuration or usage.
 */
export async function runMigrateCommand(args: string[], io: CommandIo): Promise<number> {
  const flag = extractConfigFlag(args);
  if ("error" in flag) return (io.stderr(`agentd migrate: ${flag.error}\n`), 2);
  const rest = [...flag.rest];
  const at = rest.indexOf("--from-sqlite");
  const from = at >= 0 ? rest.splice(at, 2)[1] : undefined;
  if (at >= 0 && (!from || from.startsWith("--"))) return (io.stderr("agentd migrate: --from-sqlite takes the data directory to copy\n"), 2);
  if (rest.length > 0) return (io.stderr(`agentd migrate: unexpected argument "${rest[0]}"\n`), 2);
  const loaded = await loadConfigOrReport({ configPath: flag.configPath, env: io.env, cwd: io.cwd }, io);
  if (!loaded) return 2;
  if (from !== undefined && !loaded.config.postgres.url) {
    return (io.stderr("agentd migrate: --from-sqlite copies into Postgres: set postgres.url (AGENTD_POSTGRES__URL) first\n"), 2);
  }
  try {
    for (const line of await migrateStorage(loaded.config)) io.stdout(`${line}\n`);
    if (from !== undefined) for (const line of await importSqliteData(loaded.config, from)) io.stdout(`${line}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    io.stderr(`agentd migrate: ${error.message}\n`);
    return 1;
  }
}
