import { createBackup, restoreBackup } from "../app/backup.ts";
import { extractConfigFlag, loadConfigOrReport, type CommandIo } from "./config-command.ts";

export const BACKUP_USAGE = `Usage:
  agentd backup --out FILE [--config FILE]
      Copy both SQLite databases (and the generated JWT secret) into FILE (.tar.gz, mode 0600)
      while agentd keeps serving. Each database is a consistent snapshot.
  agentd restore --from FILE [--force] [--config FILE]
      Stop agentd first. Checks the backup, then puts it into data_dir. Existing data is refused
      unless --force, which moves it aside into data_dir/pre-restore-<time>/ (never deletes it).
`;

/** `agentd backup` and `agentd restore`. Exit status: 0 done, 1 failed (the reason on stderr), 2 usage error. */
export async function runBackupCommand(command: "backup" | "restore", args: string[], io: CommandIo): Promise<number> {
  const flag = extractConfigFlag(args);
  if ("error" in flag) return usage(io, command, flag.error);
  if (flag.rest.includes("--help") || flag.rest.includes("-h")) return (io.stdout(BACKUP_USAGE), 0);
  const pathFlag = command === "backup" ? "--out" : "--from";
  let path: string | undefined;
  let force = false;
  for (let index = 0; index < flag.rest.length; index++) {
    const arg = flag.rest[index]!;
    if (arg === pathFlag) path = flag.rest[++index];
    else if (arg.startsWith(`${pathFlag}=`)) path = arg.slice(pathFlag.length + 1);
    else if (arg === "--force" && command === "restore") force = true;
    else return usage(io, command, `unknown argument "${arg}"`);
  }
  if (!path) return usage(io, command, `${pathFlag} FILE is required`);
  const loaded = await loadConfigOrReport({ configPath: flag.configPath, env: io.env, cwd: io.cwd }, io);
  if (!loaded) return 2;
  try {
    if (command === "backup") {
      const manifest = await createBackup(loaded.config, path);
      io.stdout(`backup written: ${path} (${manifest.files.join(", ")})\n`);
    } else {
      const { manifest, movedTo } = await restoreBackup(loaded.config, path, { force });
      if (movedTo) io.stdout(`the previous data was moved to ${movedTo}\n`);
      io.stdout(`restored the backup of ${manifest.createdAt} into ${loaded.config.data_dir}; start agentd now\n`);
    }
    return 0;
  } catch (error) {
    io.stderr(`agentd ${command}: ${(error as Error).message}\n`);
    return 1;
  }
}

function usage(io: CommandIo, command: string, problem: string): number {
  io.stderr(`agentd ${command}: ${problem}\n\n${BACKUP_USAGE}`);
  return 2;
}
