import { ConfigError, formatConfigIssue, type LoadConfigOptions, type LoadedConfig, loadConfig } from "../config/load.ts";
import { renderDefaultsYaml } from "../config/render.ts";

/** What a command may touch: output streams (text is written as given, newlines included), environment, working directory. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
}

const USAGE = `Usage: agentd config <command> [--config FILE]

Commands:
  check      Load and validate the configuration exactly as \`agentd serve\` would. Prints
             "ok: <file>" and exits 0, or prints every problem, one per line as
             "<source>: <key>: <reason>", and exits 2.
  defaults   Print every key with its default, description and environment variable, as YAML.

Options:
  --config FILE  The config file (default: $AGENTD_CONFIG, else ./config/agentd.yaml if present).
  -h, --help     Show this help.
`;

const HELP_FLAGS = new Set(["-h", "--help", "help"]);

/**
 * `agentd config …`; `args` are the words after `config`. Returns the exit status:
 * 0 on success, 2 for an invalid configuration or a usage error (unknown command or option).
 */
export async function runConfigCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.some((arg) => HELP_FLAGS.has(arg))) {
    io.stdout(USAGE);
    return 0;
  }
  const flag = extractConfigFlag(args);
  if ("error" in flag) return usageError(io, flag.error);
  const unknownOption = flag.rest.find((arg) => arg.startsWith("-"));
  if (unknownOption) return usageError(io, `unknown option "${unknownOption}"`);
  const [command, ...extra] = flag.rest;
  if (command === undefined) return usageError(io, "missing command");
  if (extra.length > 0) return usageError(io, `unexpected argument "${extra[0]}"`);

  switch (command) {
    case "check": {
      const loaded = await loadConfigOrReport({ configPath: flag.configPath, env: io.env, cwd: io.cwd }, io);
      if (!loaded) return 2;
      io.stdout(`ok: ${loaded.source}\n`);
      return 0;
    }
    case "defaults":
      if (flag.configPath !== undefined) return usageError(io, "defaults reads no file; --config does not apply");
      io.stdout(renderDefaultsYaml());
      return 0;
    default:
      return usageError(io, `unknown command "${command}"`);
  }
}

function usageError(io: CommandIo, problem: string): number {
  io.stderr(`agentd config: ${problem}\n\n${USAGE}`);
  return 2;
}

/**
 * Takes `--config FILE` (or `--config=FILE`) out of a command's arguments, leaving all others
 * (options included) in order, so `serve` can share the flag. An error when the flag has no value
 * or is given twice.
 */
export function extractConfigFlag(args: readonly string[]): { configPath?: string; rest: string[] } | { error: string } {
  const rest: string[] = [];
  let configPath: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    let value: string | undefined;
    if (arg === "--config") value = args[++index];
    else if (arg.startsWith("--config=")) value = arg.slice("--config=".length);
    else {
      rest.push(arg);
      continue;
    }
    if (!value) return { error: "--config needs a file path" };
    if (configPath !== undefined) return { error: "--config given more than once" };
    configPath = value;
  }
  return { configPath, rest };
}

/** The lines to print for an invalid configuration: one `<source>: <key>: <reason>` per issue. */
export function describeConfigError(error: ConfigError): string {
  return `${error.issues.map(formatConfigIssue).join("\n")}\n`;
}

/**
 * Loads the configuration; on a ConfigError writes describeConfigError() to stderr and returns
 * undefined, so a command can `return 2`. Any other error is thrown.
 */
export async function loadConfigOrReport(
  options: LoadConfigOptions,
  io: Pick<CommandIo, "stderr">,
): Promise<LoadedConfig | undefined> {
  try {
    return await loadConfig(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(describeConfigError(error));
    return undefined;
  }
}
