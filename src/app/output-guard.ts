import { realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Config } from "../config/schema.ts";
import type { OutputRedactorFactory } from "../guard/output/output-redactor.ts";
import { PatternRedactor } from "../guard/output/pattern-redactor.ts";
import { secretRules } from "../guard/output/rules.ts";
import { dataPaths } from "./paths.ts";

/** Directories many programs share: naming one reveals nothing about this server. */
const SHARED_DIRECTORIES = new Set(["/", "/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/opt", "/opt/homebrew/bin", "/tmp"]);

/** The output guard this config asks for: a fresh redactor per message, or one that redacts nothing. */
export function createOutputRedactorFactory(config: Config): OutputRedactorFactory {
  const settings = config.guard.output;
  const rules = settings.enabled ? secretRules({ directories: serverDirectories(config), patterns: settings.patterns }) : [];
  return () => new PatternRedactor(rules);
}

/**
 * The directories whose absolute paths never leave the server: data_dir, the install directory
 * (the compiled binary's directory; the checkout when run from source) and
 * guard.output.directories, each also as its real path when a symlink leads there. Shared system
 * directories (a binary in /usr/local/bin) are left out.
 */
export function serverDirectories(config: Config): string[] {
  const named = [dataPaths(config).dir, installDirectory(), ...config.guard.output.directories.map((directory) => resolve(directory))];
  const all = named.flatMap((directory) => [directory, realPath(directory)]);
  return [...new Set(all)].filter((directory) => !SHARED_DIRECTORIES.has(directory));
}

function installDirectory(): string {
  if (import.meta.url.includes("$bunfs")) return dirname(process.execPath);
  return resolve(import.meta.dir, "../..");
}

function realPath(directory: string): string {
  try {
    return realpathSync(directory);
  } catch {
    return directory; // not created yet
  }
}
