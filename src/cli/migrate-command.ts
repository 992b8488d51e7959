import { migrateStorage } from "../app/migrate.ts";
import { AppError } from "../errors.ts";
import { extractConfigFlag, loadConfigOrReport, type CommandIo } from "./config-command.ts";

/**
 * `agentd migrate [--config FILE]`: applies pending schema migrations to the configured storage
 * (Postgres when postgres.url is set) and exits 0; 1 when the storage cannot be reached, 2 on a
 * bad configuration or usage.
 */
export async function runMigrateCommand(args: string[], io: CommandIo): Promise<number> {
  const flag = extractConfigFlag(args);
  if ("error" in flag) return (io.stderr(`agentd migrate: ${flag.error}\n`), 2);
  if (flag.rest.length > 0) return (io.stderr(`agentd migrate: unexpected argument "${flag.rest[0]}"\n`), 2);
  const loaded = await loadConfigOrReport({ configPath: flag.configPath, env: io.env, cwd: io.cwd }, io);
  if (!loaded) return 2;
  try {
    for (const line of await migrateStorage(loaded.config)) io.stdout(`${line}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    io.stderr(`agentd migrate: ${error.message}\n`);
    return 1;
  }
}
