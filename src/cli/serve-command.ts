import { startServer } from "../app/server.ts";
import type { Config } from "../config/schema.ts";
import { batchLines, createLogger, resolveLogFormat, type Logger } from "../log.ts";
import { extractConfigFlag, loadConfigOrReport, type CommandIo } from "./config-command.ts";

/**
 * `agentd serve [--config FILE] [--demo]`: runs until SIGTERM or SIGINT, then stops gracefully and
 * resolves 0. Resolves 2 on a bad configuration, 1 when the server cannot start.
 */
export async function runServeCommand(args: string[], io: CommandIo): Promise<number> {
  const flag = extractConfigFlag(args);
  if ("error" in flag) return (io.stderr(`agentd serve: ${flag.error}\n`), 2);
  const demo = flag.rest.includes("--demo");
  const unknown = flag.rest.find((arg) => arg !== "--demo");
  if (unknown) return (io.stderr(`agentd serve: unknown argument "${unknown}"\n`), 2);
  const loaded = await loadConfigOrReport({ configPath: flag.configPath, env: io.env, cwd: io.cwd }, io);
  if (!loaded) return 2;
  // stdout lines go out once per event-loop turn; a warning or error first lets out those before it.
  const stdout = batchLines(io.stdout);
  const write = (line: string, level: string) => {
    if (level === "warn" || level === "error") {
      stdout.flush();
      io.stderr(`${line}\n`);
    } else stdout.write(`${line}\n`);
  };
  const log = createLogger(loaded.config.log.level, write, resolveLogFormat(loaded.config.log.format));
  process.on("exit", stdout.flush);
  try {
    return await serve(loaded.config, log, demo, loaded.source);
  } finally {
    stdout.flush();
    process.off("exit", stdout.flush);
  }
}

async function serve(config: Config, log: Logger, demo: boolean, source: string): Promise<number> {
  let server;
  try {
    server = await startServer(config, { logger: log, demo });
  } catch (error) {
    log.error("agentd could not start", { error });
    return 1;
  }
  log.info("configuration loaded", { source });
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info("stopping", { signal });
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      resolve();
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
  await server.stop();
  return 0;
}
