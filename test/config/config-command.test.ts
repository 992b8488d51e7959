import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CommandIo,
  describeConfigError,
  extractConfigFlag,
  loadConfigOrReport,
  runConfigCommand,
} from "../../src/cli/config-command.ts";
import { ConfigError } from "../../src/config/load.ts";
import { renderDefaultsYaml } from "../../src/config/render.ts";

const directories: string[] = [];

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), "agentd-config-command-"));
  directories.push(directory);
  return directory;
}

function writeConfig(directory: string, name: string, text: string): string {
  const path = join(directory, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

async function run(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  const output = { stdout: "", stderr: "" };
  const io: CommandIo = {
    stdout: (text) => void (output.stdout += text),
    stderr: (text) => void (output.stderr += text),
    env: options.env ?? {},
    cwd: options.cwd ?? tempDir(),
  };
  const code = await runConfigCommand(args, io);
  return { code, ...output };
}

describe("config check", () => {
  test("prints ok and the file read", async () => {
    const cwd = tempDir();
    const path = writeConfig(cwd, "config/agentd.yaml", "server:\n  port: 9000\n");
    expect(await run(["check"], { cwd })).toEqual({ code: 0, stdout: `ok: ${path}\n`, stderr: "" });
  });

  test("prints ok: defaults when there is no file", async () => {
    expect(await run(["check"])).toEqual({ code: 0, stdout: "ok: defaults\n", stderr: "" });
  });

  test("reads the file given by --config FILE or --config=FILE", async () => {
    const cwd = tempDir();
    const path = writeConfig(cwd, "custom.yaml", "log:\n  level: debug\n");
    expect((await run(["check", "--config", "custom.yaml"], { cwd })).stdout).toBe(`ok: ${path}\n`);
    expect((await run(["--config=custom.yaml", "check"], { cwd })).stdout).toBe(`ok: ${path}\n`);
  });

  test("prints every issue to stderr and exits 2", async () => {
    const cwd = tempDir();
    const path = writeConfig(cwd, "bad.yaml", "server:\n  bogus: 1\nauth:\n  jwt_secret: short\n");
    const result = await run(["check", "--config", path], { cwd, env: { AGENTD_SERVER__PORT: "x" } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n").sort()).toEqual(
      [
        'AGENTD_SERVER__PORT: server.port: expected integer from 0 to 65535, got "x"',
        `${path}: server.bogus: unknown key`,
        `${path}: auth.jwt_secret: must be at least 32 bytes`,
      ].sort(),
    );
  });

  test("a missing named file exits 2", async () => {
    const cwd = tempDir();
    const result = await run(["check", "--config", "absent.yaml"], { cwd });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `${join(cwd, "absent.yaml")}: file not found (named by --config)\n`,
    });
  });
});

describe("config defaults", () => {
  test("prints the rendered defaults", async () => {
    expect(await run(["defaults"])).toEqual({ code: 0, stdout: renderDefaultsYaml(), stderr: "" });
  });

  test("refuses --config, which it would ignore", async () => {
    const result = await run(["defaults", "--config", "x.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--config does not apply");
  });
});

describe("usage", () => {
  test("--help prints usage and exits 0", async () => {
    for (const args of [["--help"], ["-h"], ["check", "--help"]]) {
      const result = await run(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toStartWith("Usage: agentd config <command>");
    }
  });

  test("an unknown command, option, missing command or extra argument exits 2 with usage", async () => {
    const cases: Array<[string[], string]> = [
      [["frobnicate"], 'unknown command "frobnicate"'],
      [[], "missing command"],
      [["check", "--verbose"], 'unknown option "--verbose"'],
      [["check", "extra"], 'unexpected argument "extra"'],
      [["check", "--config"], "--config needs a file path"],
      [["check", "--config", "a", "--config", "b"], "--config given more than once"],
    ];
    for (const [args, problem] of cases) {
      const result = await run(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toStartWith(`agentd config: ${problem}\n`);
      expect(result.stderr).toContain("Usage: agentd config");
    }
  });
});

describe("helpers for other commands", () => {
  test("extractConfigFlag takes out --config and keeps every other argument", () => {
    expect(extractConfigFlag(["--port", "1", "--config", "a.yaml", "x"])).toEqual({
      configPath: "a.yaml",
      rest: ["--port", "1", "x"],
    });
    expect(extractConfigFlag(["serve"])).toEqual({ configPath: undefined, rest: ["serve"] });
  });

  test("describeConfigError gives one line per issue", () => {
    const error = new ConfigError("agentd.yaml", [
      { source: "agentd.yaml", path: "server.bogus", message: "unknown key" },
      { source: "AGENTD_SERVER__PORT", path: "server.port", message: "expected a number" },
    ]);
    expect(describeConfigError(error)).toBe(
      "agentd.yaml: server.bogus: unknown key\nAGENTD_SERVER__PORT: server.port: expected a number\n",
    );
  });

  test("loadConfigOrReport returns the config, or writes the issues and returns undefined", async () => {
    let stderr = "";
    const io = { stderr: (text: string) => void (stderr += text) };
    expect((await loadConfigOrReport({ env: {}, cwd: tempDir() }, io))?.source).toBe("defaults");
    expect(await loadConfigOrReport({ env: { AGENTD_SERVER__PORT: "x" }, cwd: tempDir() }, io)).toBeUndefined();
    expect(stderr).toBe('AGENTD_SERVER__PORT: server.port: expected integer from 0 to 65535, got "x"\n');
  });
});
