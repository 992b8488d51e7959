import pkg from "../../package.json" with { type: "json" };
import { runBackupCommand } from "./backup-command.ts";
import { runConfigCommand, type CommandIo } from "./config-command.ts";
import { runGuardCommand } from "./guard-command.ts";
import { runMigrateCommand } from "./migrate-command.ts";
import { runServeCommand } from "./serve-command.ts";
import { runUserCommand } from "./user-command.ts";

export const HELP = `agentd ${pkg.version} — a self-hosted real-time AI chat server

Usage: agentd [command] [--config FILE]

Commands:
  serve [--config FILE]      Start the server (the default when no command is given).
  user add|passwd|disable|enable|list
                             Manage accounts (see: agentd user --help).
  config check [--config F]  Validate the configuration; exit 2 naming each bad key.
  config defaults            Print the documented default configuration (YAML).
  guard check [--config F]   Run the input guard on JSON lines {"text": ...} from stdin.
  backup --out FILE          Copy the databases into FILE (.tar.gz) while agentd runs.
  restore --from FILE        Put a backup into data_dir (agentd stopped; --force moves old data aside).
  migrate [--config FILE] [--from-sqlite DIR]
                             Apply pending database migrations (Postgres when postgres.url is set);
                             --from-sqlite also copies a single node's SQLite data from DIR into Postgres.
  help, --help               Show this help.
  version, --version         Print the version.

The configuration file is --config FILE, else $AGENTD_CONFIG, else ./config/agentd.yaml if
present, else the built-in defaults. Every key can be set as AGENTD_<PATH>, e.g. AGENTD_SERVER__PORT.
`;

/** Runs the command line `args` (without the program name) and resolves the exit status. */
export async function runCli(args: string[], io: CommandIo & { readStdin: () => Promise<string> }): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case undefined:
      return runServeCommand([], io);
    case "serve":
      return runServeCommand(rest, io);
    case "config":
      return runConfigCommand(rest, io);
    case "user":
      return runUserCommand(rest, io);
    case "guard":
      return runGuardCommand(rest, io);
    case "backup":
    case "restore":
      return runBackupCommand(command, rest, io);
    case "migrate":
      return runMigrateCommand(rest, io);
    case "help":
    case "--help":
    case "-h":
      io.stdout(HELP);
      return 0;
    case "version":
    case "--version":
      io.stdout(`${pkg.version}\n`);
      return 0;
    default:
      if (command.startsWith("--config")) return runServeCommand(args, io);
      io.stderr(`agentd: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}
