import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type ConfigIssue, type LoadConfigOptions, loadConfig } from "../../src/config/load.ts";
import { ConfigSchema } from "../../src/config/schema.ts";

const SECRET = "0123456789abcdef0123456789abcdef";
const directories: string[] = [];

function tempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), "agentd-config-"));
  directories.push(directory);
  return directory;
}

function writeFile(directory: string, name: string, text: string): string {
  const path = join(directory, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** Loads expecting failure; returns the error's issues. */
async function issuesOf(options: LoadConfigOptions): Promise<ConfigError> {
  try {
    await loadConfig(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

function issueAt(error: ConfigError, path: string): ConfigIssue | undefined {
  return error.issues.find((issue) => issue.path === path);
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe("with no file", () => {
  test("uses the built-in defaults", async () => {
    const loaded = await loadConfig({ env: {}, cwd: tempDir() });
    expect(loaded.source).toBe("defaults");
    expect(loaded.config).toEqual(ConfigSchema.parse({}));
    expect(loaded.config.server.port).toBe(8080);
    expect(loaded.config.workers.threads).toBe("auto");
    expect(loaded.config.auth.jwt_secret).toBeUndefined();
  });
});

describe("file discovery", () => {
  test("reads ./config/agentd.yaml relative to cwd when nothing is named", async () => {
    const cwd = tempDir();
    const path = writeFile(cwd, "config/agentd.yaml", "server:\n  port: 9001\n");
    const loaded = await loadConfig({ env: {}, cwd });
    expect(loaded).toMatchObject({ source: path, config: { server: { port: 9001 } } });
  });

  test("AGENTD_CONFIG wins over ./config/agentd.yaml", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "server:\n  port: 9001\n");
    const named = writeFile(cwd, "elsewhere.yaml", "server:\n  port: 9002\n");
    const loaded = await loadConfig({ env: { AGENTD_CONFIG: "elsewhere.yaml" }, cwd });
    expect(loaded.source).toBe(named);
    expect(loaded.config.server.port).toBe(9002);
  });

  test("--config wins over AGENTD_CONFIG and is resolved against cwd", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "server:\n  port: 9001\n");
    writeFile(cwd, "from-env.yaml", "server:\n  port: 9002\n");
    const named = writeFile(cwd, "sub/from-flag.yaml", "server:\n  port: 9003\n");
    const loaded = await loadConfig({ configPath: "sub/from-flag.yaml", env: { AGENTD_CONFIG: "from-env.yaml" }, cwd });
    expect(loaded.source).toBe(named);
    expect(loaded.config.server.port).toBe(9003);
  });

  test("a file named by --config that does not exist is an error, even when the default file exists", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "server:\n  port: 9001\n");
    const error = await issuesOf({ configPath: "missing.yaml", env: {}, cwd });
    expect(error.message).toBe(`${join(cwd, "missing.yaml")}: file not found (named by --config)`);
  });

  test("a file named by AGENTD_CONFIG that does not exist is an error", async () => {
    const cwd = tempDir();
    const error = await issuesOf({ env: { AGENTD_CONFIG: "nope.yaml" }, cwd });
    expect(error.message).toBe(`${join(cwd, "nope.yaml")}: file not found (named by AGENTD_CONFIG)`);
  });

  test("an empty file, or a key left empty, means defaults", async () => {
    const cwd = tempDir();
    const empty = writeFile(cwd, "empty.yaml", "# nothing here\n");
    expect((await loadConfig({ configPath: empty, env: {}, cwd })).config).toEqual(ConfigSchema.parse({}));
    const blanks = writeFile(cwd, "blanks.yaml", "auth:\n  jwt_secret:\nserver:\n  port:\nlog:\n");
    expect((await loadConfig({ configPath: blanks, env: {}, cwd })).config).toEqual(ConfigSchema.parse({}));
  });
});

describe("invalid files", () => {
  test("an unknown key is named by its full path", async () => {
    const cwd = tempDir();
    const path = writeFile(cwd, "config/agentd.yaml", "server:\n  port: 9000\n  bogus: true\n");
    const error = await issuesOf({ env: {}, cwd });
    expect(error.source).toBe(path);
    expect(error.issues).toEqual([{ source: path, path: "server.bogus", message: "unknown key" }]);
    expect(error.message).toBe(`${path}: server.bogus: unknown key`);
  });

  test("a misspelt key gets a suggestion", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "server:\n  prot: 9000\nlgo:\n  level: debug\n");
    const error = await issuesOf({ env: {}, cwd });
    expect(issueAt(error, "server.prot")?.message).toBe("unknown key (did you mean server.port?)");
    expect(issueAt(error, "lgo")?.message).toBe("unknown key (did you mean log?)");
  });

  test("bad values name their keys, all reported at once, one line each", async () => {
    const cwd = tempDir();
    const path = writeFile(cwd, "config/agentd.yaml", 'server:\n  port: "x"\nauth:\n  jwt_secret: too-short\n');
    const error = await issuesOf({ env: {}, cwd });
    expect(error.issues.map((issue) => issue.path)).toEqual(["server.port", "auth.jwt_secret"]);
    expect(issueAt(error, "auth.jwt_secret")?.message).toBe("must be at least 32 bytes");
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toStartWith(`${path}: server.port: expected number`);
    expect(lines[1]).toBe(`${path}: auth.jwt_secret: must be at least 32 bytes`);
  });

  test("out-of-range numbers, bad enums, list items and URLs", async () => {
    const cwd = tempDir();
    writeFile(
      cwd,
      "config/agentd.yaml",
      [
        "server:\n  port: 70000",
        "log:\n  level: loud",
        "auth:\n  external:\n    algorithms: [RS256, HS256]",
        "llm:\n  base_url: localhost:11434/v1",
        "workers:\n  threads: 999",
      ].join("\n"),
    );
    const error = await issuesOf({ env: {}, cwd });
    expect(issueAt(error, "server.port")?.message).toBe("expected integer from 0 to 65535, got 70000");
    expect(issueAt(error, "log.level")?.message).toContain('expected one of "debug"|"info"|"warn"|"error"');
    expect(issueAt(error, "auth.external.algorithms[1]")?.message).toContain("expected one of");
    expect(issueAt(error, "llm.base_url")?.message).toBe("expected an http:// or https:// URL");
    expect(issueAt(error, "workers.threads")?.message).toBe('expected "auto" or integer from 0 to 256, got 999');
  });

  test("a YAML syntax error is reported with its line and column", async () => {
    const cwd = tempDir();
    const path = writeFile(cwd, "config/agentd.yaml", "server:\n  port: 9000\n  host: [unclosed\nlog:\n  level: info\n");
    const error = await issuesOf({ env: {}, cwd });
    const [first] = error.issues;
    expect(first?.source).toBe(path);
    expect(first?.path).toMatch(/^line \d+, column \d+$/);
    expect(first?.message).toStartWith("YAML syntax: ");
    expect(error.message.split("\n").every((line) => line.startsWith(`${path}: line `))).toBe(true);
  });

  test("duplicate keys are a YAML error", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "server:\n  port: 1\n  port: 2\n");
    const error = await issuesOf({ env: {}, cwd });
    expect(error.issues[0]).toMatchObject({ path: "line 3, column 3", message: expect.stringContaining("unique") });
  });

  test("a file that is not a mapping is rejected", async () => {
    const cwd = tempDir();
    const path = writeFile(cwd, "config/agentd.yaml", "- server\n- port\n");
    const error = await issuesOf({ env: {}, cwd });
    expect(error.message).toBe(`${path}: expected a mapping of keys at the top level, got a list`);
  });

  test("a top-level scalar, an unresolved alias and a directory are rejected", async () => {
    const cwd = tempDir();
    const scalar = writeFile(cwd, "scalar.yaml", "hello\n");
    expect((await issuesOf({ configPath: scalar, env: {}, cwd })).message).toBe(
      `${scalar}: expected a mapping of keys at the top level, got a string`,
    );
    const alias = writeFile(cwd, "alias.yaml", "server: *nowhere\n");
    expect((await issuesOf({ configPath: alias, env: {}, cwd })).message).toStartWith(`${alias}: YAML: Unresolved alias`);
    mkdirSync(join(cwd, "folder"));
    expect((await issuesOf({ configPath: "folder", env: {}, cwd })).message).toBe(
      `${join(cwd, "folder")}: is a directory, not a config file (named by --config)`,
    );
  });

  test("a section given as a scalar is rejected", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "server: 8080\n");
    const error = await issuesOf({ env: {}, cwd });
    expect(issueAt(error, "server")?.message).toBe("expected a mapping of keys");
  });
});

describe("environment overrides", () => {
  test("set nested, top-level and numeric keys, converting the text", async () => {
    const loaded = await loadConfig({
      cwd: tempDir(),
      env: {
        AGENTD_SERVER__PORT: "9000",
        AGENTD_AUTH__JWT_SECRET: SECRET,
        AGENTD_LLM__AZURE__ENDPOINT: "https://example.openai.azure.com",
        AGENTD_LLM__TEMPERATURE: "0.5",
        AGENTD_DATA_DIR: "/var/lib/agentd",
        AGENTD_LOG__LEVEL: "debug",
      },
    });
    expect(loaded.config.server.port).toBe(9000);
    expect(loaded.config.auth.jwt_secret).toBe(SECRET);
    expect(loaded.config.llm.azure.endpoint).toBe("https://example.openai.azure.com");
    expect(loaded.config.llm.temperature).toBe(0.5);
    expect(loaded.config.data_dir).toBe("/var/lib/agentd");
    expect(loaded.config.log.level).toBe("debug");
  });

  test("AGENTD_WORKERS__THREADS takes auto or a number", async () => {
    const cwd = tempDir();
    expect((await loadConfig({ cwd, env: { AGENTD_WORKERS__THREADS: "auto" } })).config.workers.threads).toBe("auto");
    expect((await loadConfig({ cwd, env: { AGENTD_WORKERS__THREADS: "0" } })).config.workers.threads).toBe(0);
    expect((await loadConfig({ cwd, env: { AGENTD_WORKERS__THREADS: "4" } })).config.workers.threads).toBe(4);
  });

  test("lists take comma-separated text or JSON", async () => {
    const cwd = tempDir();
    const comma = await loadConfig({ cwd, env: { AGENTD_AUTH__EXTERNAL__ALGORITHMS: "ES256, PS256" } });
    expect(comma.config.auth.external.algorithms).toEqual(["ES256", "PS256"]);
    const json = await loadConfig({ cwd, env: { AGENTD_AUTH__EXTERNAL__ALGORITHMS: '["RS512"]' } });
    expect(json.config.auth.external.algorithms).toEqual(["RS512"]);
  });

  test("win over the file, and leave the file's other keys alone", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "server:\n  port: 9001\n  host: 127.0.0.1\n");
    const loaded = await loadConfig({ cwd, env: { AGENTD_SERVER__PORT: "9002" } });
    expect(loaded.config.server).toMatchObject({ port: 9002, host: "127.0.0.1" });
  });

  test("an empty variable counts as unset", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "server:\n  port: 9001\n");
    const loaded = await loadConfig({ cwd, env: { AGENTD_SERVER__PORT: "", AGENTD_AUTH__JWT_SECRET: "" } });
    expect(loaded.config.server.port).toBe(9001);
    expect(loaded.config.auth.jwt_secret).toBeUndefined();
  });

  test("a bad value names the variable and the key", async () => {
    const cwd = tempDir();
    const error = await issuesOf({ cwd, env: { AGENTD_SERVER__PORT: "x" } });
    expect(error.issues).toEqual([
      { source: "AGENTD_SERVER__PORT", path: "server.port", message: 'expected integer from 0 to 65535, got "x"' },
    ]);
    expect(error.message).toBe('AGENTD_SERVER__PORT: server.port: expected integer from 0 to 65535, got "x"');
  });

  test("an out-of-range value is blamed on the variable, not the file", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "workers:\n  threads: 2\n");
    const error = await issuesOf({ cwd, env: { AGENTD_WORKERS__THREADS: "300", AGENTD_LLM__PROVIDER: "bedrock" } });
    expect(issueAt(error, "workers.threads")).toEqual({
      source: "AGENTD_WORKERS__THREADS",
      path: "workers.threads",
      message: 'expected "auto" or integer from 0 to 256, got 300',
    });
    expect(issueAt(error, "llm.provider")?.source).toBe("AGENTD_LLM__PROVIDER");
    const words = await issuesOf({ cwd, env: { AGENTD_WORKERS__THREADS: "many" } });
    expect(words.message).toBe('AGENTD_WORKERS__THREADS: workers.threads: expected "auto" or integer from 0 to 256, got "many"');
  });

  test("a variable that names no key is an error; AGENTD_CONFIG is not a key", async () => {
    const cwd = tempDir();
    writeFile(cwd, "agentd.yaml", "");
    const error = await issuesOf({ cwd, env: { AGENTD_CONFIG: "agentd.yaml", AGENTD_SERVR__PORT: "1", AGENTD_AUTH: "x" } });
    expect(error.issues).toEqual([
      {
        source: "AGENTD_SERVR__PORT",
        path: "servr.port",
        message: "unknown key: no setting has this variable name (did you mean AGENTD_SERVER__PORT?)",
      },
      {
        source: "AGENTD_AUTH",
        path: "auth",
        message: "names a group of keys, not a setting; set its keys one by one, e.g. AGENTD_AUTH__JWT_SECRET",
      },
    ]);
  });

  test("file and environment problems are reported together", async () => {
    const cwd = tempDir();
    const path = writeFile(cwd, "config/agentd.yaml", "server:\n  bogus: 1\n");
    const error = await issuesOf({ cwd, env: { AGENTD_LOG__LEVEL: "loud" } });
    expect(error.issues.map((issue) => `${issue.source} ${issue.path}`).sort()).toEqual(
      [`${path} server.bogus`, "AGENTD_LOG__LEVEL log.level"].sort(),
    );
  });
});

describe("provider API key variables", () => {
  test("OPENAI_API_KEY fills llm.api_key for provider openai", async () => {
    const loaded = await loadConfig({ cwd: tempDir(), env: { OPENAI_API_KEY: "sk-from-env" } });
    expect(loaded.config.llm.api_key).toBe("sk-from-env");
  });

  test("OPENAI_API_KEY does not replace a key set in the file or by AGENTD_LLM__API_KEY", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "llm:\n  api_key: sk-from-file\n");
    expect((await loadConfig({ cwd, env: { OPENAI_API_KEY: "sk-env" } })).config.llm.api_key).toBe("sk-from-file");
    const explicit = await loadConfig({ cwd: tempDir(), env: { OPENAI_API_KEY: "sk-env", AGENTD_LLM__API_KEY: "sk-agentd" } });
    expect(explicit.config.llm.api_key).toBe("sk-agentd");
  });

  test("for provider azure only AZURE_OPENAI_API_KEY applies", async () => {
    const cwd = tempDir();
    writeFile(cwd, "config/agentd.yaml", "llm:\n  provider: azure\n");
    expect((await loadConfig({ cwd, env: { OPENAI_API_KEY: "sk-openai" } })).config.llm.api_key).toBeUndefined();
    const azure = await loadConfig({ cwd, env: { OPENAI_API_KEY: "sk-openai", AZURE_OPENAI_API_KEY: "az-key" } });
    expect(azure.config.llm.api_key).toBe("az-key");
    const byEnv = await loadConfig({ cwd: tempDir(), env: { AGENTD_LLM__PROVIDER: "azure", AZURE_OPENAI_API_KEY: "az-key" } });
    expect(byEnv.config.llm.api_key).toBe("az-key");
  });
});
