import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseDocument } from "yaml";
import { ConfigError, type ConfigIssue } from "./config-error.ts";
import { CONFIG_PATH_VARIABLE, readEnvOverrides } from "./env.ts";
import { configDefaults, isPlainObject } from "./fields.ts";
import type { Config } from "./schema.ts";
import { validateConfig } from "./validate.ts";

export { ConfigError, type ConfigIssue, formatConfigIssue } from "./config-error.ts";

/** Where agentd looks for a config file, relative to the working directory, when none is named. */
export const DEFAULT_CONFIG_PATH = "config/agentd.yaml";
/** LoadedConfig.source when no file was read. */
export const DEFAULTS_SOURCE = "defaults";

export interface LoadConfigOptions {
  /** From `--config PATH`; relative to cwd. */
  configPath?: string;
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Defaults to process.cwd(). */
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** The absolute path of the file read, or `defaults`. */
  source: string;
}

/** The variable that supplies llm.api_key, per provider, when the key is set nowhere else. */
const PROVIDER_KEY_VARIABLES: Record<Config["llm"]["provider"], string> = {
  openai: "OPENAI_API_KEY",
  azure: "AZURE_OPENAI_API_KEY",
};

/**
 * Loads and validates the configuration, once, at startup.
 *
 * The file is `configPath`, else `$AGENTD_CONFIG`, else `./config/agentd.yaml` if it exists, else
 * none (built-in defaults). Every `AGENTD_<PATH>` variable then overrides the matching key
 * (`AGENTD_SERVER__PORT` → server.port); OPENAI_API_KEY / AZURE_OPENAI_API_KEY fill llm.api_key
 * for their provider only when it is still unset. A key left empty in YAML (`key:`) counts as unset.
 *
 * @throws ConfigError listing every issue: a named file that is missing or unreadable, YAML syntax
 *   errors (with line and column), unknown keys, unknown `AGENTD_*` variables, values of the wrong
 *   type or out of range. Each issue names its source (file or variable) and key path.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = locateConfigFile(options.configPath, env, cwd);
  const source = file?.path ?? DEFAULTS_SOURCE;

  const fromFile = file ? await readConfigFile(file.path, file.namedBy) : { input: {}, issues: [] };
  const fromEnv = readEnvOverrides(env);
  if (fromFile.issues.length > 0) throw new ConfigError(source, [...fromFile.issues, ...fromEnv.issues]);

  const input = structuredClone(fromFile.input);
  // Keys set from the environment, so that a bad value is blamed on the variable, not the file.
  const variableOfKey = new Map<string, string>();
  for (const { leaf, envVar, value } of fromEnv.overrides) {
    if (setAt(input, leaf.path, value)) variableOfKey.set(leaf.key, envVar);
  }
  fillProviderApiKey(input, env, variableOfKey);

  const result = validateConfig(input, (path) => {
    for (let length = path.length; length > 0; length--) {
      const variable = variableOfKey.get(path.slice(0, length).map(String).join("."));
      if (variable) return variable;
    }
    return source;
  });
  const issues = [...fromEnv.issues, ...(result.ok ? [] : result.issues)];
  if (!result.ok || issues.length > 0) throw new ConfigError(source, issues);
  return { config: result.config, source };
}

function locateConfigFile(
  configPath: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): { path: string; namedBy?: string } | undefined {
  if (configPath) return { path: resolve(cwd, configPath), namedBy: "--config" };
  const fromEnv = env[CONFIG_PATH_VARIABLE];
  if (fromEnv) return { path: resolve(cwd, fromEnv), namedBy: CONFIG_PATH_VARIABLE };
  const conventional = resolve(cwd, DEFAULT_CONFIG_PATH);
  return existsSync(conventional) ? { path: conventional } : undefined;
}

async function readConfigFile(
  path: string,
  namedBy: string | undefined,
): Promise<{ input: Record<string, unknown>; issues: ConfigIssue[] }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return { input: {}, issues: [{ source: path, path: "", message: readErrorMessage(error, namedBy) }] };
  }
  return parseYaml(text, path);
}

function readErrorMessage(error: unknown, namedBy: string | undefined): string {
  const code = (error as NodeJS.ErrnoException).code;
  const by = namedBy ? ` (named by ${namedBy})` : "";
  if (code === "ENOENT") return `file not found${by}`;
  if (code === "EISDIR") return `is a directory, not a config file${by}`;
  if (code === "EACCES") return `permission denied${by}`;
  return `cannot read: ${error instanceof Error ? error.message : String(error)}`;
}

/** Parses YAML text into a mapping; syntax errors become issues located by line and column. */
function parseYaml(text: string, source: string): { input: Record<string, unknown>; issues: ConfigIssue[] } {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => {
      const position = error.linePos?.[0];
      const firstLine = error.message.split("\n")[0] ?? error.message;
      return {
        source,
        path: position ? `line ${position.line}, column ${position.col}` : "",
        message: `YAML syntax: ${firstLine.replace(/ at line \d+, column \d+:?$/, "")}`,
      };
    });
    return { input: {}, issues };
  }
  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    // An alias to an anchor that was never set is found only while converting.
    return { input: {}, issues: [{ source, path: "", message: `YAML: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  if (value === null || value === undefined) return { input: {}, issues: [] };
  if (!isPlainObject(value)) {
    const kind = Array.isArray(value) ? "a list" : `a ${typeof value}`;
    return { input: {}, issues: [{ source, path: "", message: `expected a mapping of keys at the top level, got ${kind}` }] };
  }
  return { input: withoutNulls(value), issues: [] };
}

/** Drops keys whose value is null (`key:` with nothing after it), at every depth of mappings. */
function withoutNulls(mapping: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(mapping)) {
    if (value === null) continue;
    result[key] = isPlainObject(value) ? withoutNulls(value) : value;
  }
  return result;
}

/**
 * Sets a value at a path, creating missing mappings. Returns false, leaving the input alone, when
 * something other than a mapping is in the way; validation then reports that value.
 */
function setAt(root: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let target = root;
  for (const segment of path.slice(0, -1)) {
    const next = target[segment] ?? {};
    if (!isPlainObject(next)) return false;
    target[segment] = next;
    target = next;
  }
  const last = path.at(-1);
  if (last === undefined) return false;
  target[last] = value;
  return true;
}

function fillProviderApiKey(
  input: Record<string, unknown>,
  env: Record<string, string | undefined>,
  variableOfKey: Map<string, string>,
): void {
  const llm = input.llm ?? {};
  if (!isPlainObject(llm) || llm.api_key !== undefined) return;
  const provider = llm.provider ?? configDefaults().llm.provider;
  if (typeof provider !== "string" || !Object.hasOwn(PROVIDER_KEY_VARIABLES, provider)) return;
  const variable = PROVIDER_KEY_VARIABLES[provider as Config["llm"]["provider"]];
  const key = env[variable];
  if (!key) return;
  if (setAt(input, ["llm", "api_key"], key)) variableOfKey.set("llm.api_key", variable);
}
