import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildBinary } from "../helpers/binary.ts";

const ROOT = resolve(import.meta.dir, "../..");
const INSTALL = join(ROOT, "install.sh");
let binary: string;
let scratch: string;

beforeAll(async () => {
  binary = await buildBinary();
  scratch = mkdtempSync(join(tmpdir(), "agentd-install-"));
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawnSync(["sh", INSTALL, ...args], { cwd: scratch, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  return { code: proc.exitCode, output: proc.stdout.toString() + proc.stderr.toString() };
}

/** Every path under `dir` with its type, mode, size, mtime and (for small files) content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    const stat = lstatSync(path);
    const content = stat.isFile() && stat.size < 100_000 ? readFileSync(path, "utf8") : "";
    out[path.slice(dir.length) || "/"] = `${stat.mode.toString(8)} ${stat.size} ${stat.mtimeMs} ${content}`;
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

/** A stand-in for a newer release: answers --version like agentd does. */
function fakeRelease(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "agentd");
  writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Runs a linter or verifier when the machine has it; says so loudly when it does not. */
function whenAvailable(tool: string, check: () => void): void {
  if (Bun.which(tool)) return check();
  console.warn(`\n*** SKIPPED CHECK: ${tool} is not installed, so this check did not run (apt-get install ${tool === "systemd-analyze" ? "systemd" : tool}) ***\n`);
}

describe("install.sh into a temporary prefix (--prefix DIR --no-user)", () => {
  let prefix: string;
  const paths = () => ({
    bin: join(prefix, "bin/agentd"),
    config: join(prefix, "etc/agentd/agentd.yaml"),
    data: join(prefix, "var/lib/agentd"),
    unit: join(prefix, "etc/systemd/system/agentd.service"),
  });

  test("installs the binary, a 0600 config with a generated JWT secret, the data dir and a hardened unit", () => {
    prefix = join(scratch, "prefix");
    mkdirSync(prefix);
    const first = run(["--prefix", prefix, "--no-user", "--binary", binary]);
    expect(first.output).not.toContain("install.sh:");
    expect(first.code).toBe(0);
    const { bin, config, data, unit } = paths();
    expect(lstatSync(bin).mode & 0o777).toBe(0o755);
    expect(lstatSync(config).mode & 0o777).toBe(0o600);
    expect(lstatSync(data).isDirectory()).toBe(true);
    const yaml = readFileSync(config, "utf8");
    expect(yaml).toMatch(/^ {2}jwt_secret: "[A-Za-z0-9]{64}"$/m);
    expect(yaml).toContain(`data_dir: ${data}\n`);
    // The generated file is one the installed binary accepts.
    const check = Bun.spawnSync([bin, "config", "check", "--config", config], { stdout: "pipe", stderr: "pipe" });
    expect(check.stdout.toString() + check.stderr.toString()).toBe(`ok: ${config}\n`);
    const text = readFileSync(unit, "utf8");
    for (const line of ["NoNewPrivileges=yes", "ProtectSystem=strict", `ReadWritePaths=${data}`, "Restart=on-failure", "User=agentd", `ExecStart=${bin} serve --config ${config}`]) {
      expect(text).toContain(`${line}\n`);
    }
  });

  test("the unit passes systemd-analyze verify", () => {
    whenAvailable("systemd-analyze", () => {
      const verify = Bun.spawnSync(["systemd-analyze", "verify", paths().unit], { stdout: "pipe", stderr: "pipe" });
      // verify exits 0 on a bad value and only warns, so any output is a failure.
      expect(verify.stdout.toString() + verify.stderr.toString()).toBe("");
      expect(verify.exitCode).toBe(0);
    });
  });

  test("running it again changes nothing", () => {
    const before = snapshot(prefix);
    const second = run(["--prefix", prefix, "--no-user", "--binary", binary]);
    expect(second.code).toBe(0);
    expect(second.output).toContain("nothing to change");
    expect(snapshot(prefix)).toEqual(before);
  });

  test("an upgrade replaces the binary and keeps the config (and its secret) and the data", () => {
    const { bin, config, data } = paths();
    const yaml = readFileSync(config, "utf8");
    writeFileSync(join(data, "agentd.db"), "stand-in for the database");
    const upgrade = run(["--prefix", prefix, "--no-user", "--binary", fakeRelease(join(scratch, "v2"), "9.9.9")]);
    expect(upgrade.code).toBe(0);
    expect(upgrade.output).toContain(`installed ${bin}`);
    expect(Bun.spawnSync([bin, "--version"]).stdout.toString()).toBe("9.9.9\n");
    expect(readFileSync(config, "utf8")).toBe(yaml);
    expect(readFileSync(join(data, "agentd.db"), "utf8")).toBe("stand-in for the database");
  });

  test("--uninstall removes the binary and the unit and keeps config and data; --purge removes those too", () => {
    const { bin, config, data, unit } = paths();
    const removed = run(["--uninstall", "--prefix", prefix]);
    expect(removed.code).toBe(0);
    expect(existsSync(bin)).toBe(false);
    expect(existsSync(unit)).toBe(false);
    expect(existsSync(config)).toBe(true);
    expect(readFileSync(join(data, "agentd.db"), "utf8")).toBe("stand-in for the database");
    expect(run(["--uninstall", "--prefix", prefix]).code).toBe(0);
    expect(run(["--uninstall", "--purge", "--prefix", prefix]).code).toBe(0);
    expect(existsSync(config)).toBe(false);
    expect(existsSync(data)).toBe(false);
  });
});

describe("install.sh, other ways in", () => {
  test("a release tarball instead of --binary", () => {
    const release = join(scratch, "release");
    fakeRelease(join(release, "agentd-9.9.9"), "9.9.9");
    const tarball = join(scratch, "agentd-9.9.9-linux-x64.tar.gz");
    expect(Bun.spawnSync(["tar", "-czf", tarball, "-C", release, "agentd-9.9.9"]).exitCode).toBe(0);
    const prefix = join(scratch, "from-tarball");
    mkdirSync(prefix);
    // The stand-in cannot print a config, so give it one as an operator would have.
    mkdirSync(join(prefix, "etc/agentd"), { recursive: true });
    writeFileSync(join(prefix, "etc/agentd/agentd.yaml"), "llm:\n  model: m\n");
    const result = run([tarball, "--prefix", prefix, "--no-user"]);
    expect(result.code).toBe(0);
    expect(Bun.spawnSync([join(prefix, "bin/agentd"), "--version"]).stdout.toString()).toBe("9.9.9\n");
  });

  test("DESTDIR stages a system layout (/usr/local, /etc, /var/lib) without root", () => {
    const stage = join(scratch, "stage");
    const result = run(["--no-user", "--no-start", "--binary", binary], { DESTDIR: stage });
    expect(result.code).toBe(0);
    expect(existsSync(join(stage, "usr/local/bin/agentd"))).toBe(true);
    expect(readFileSync(join(stage, "etc/agentd/agentd.yaml"), "utf8")).toContain("data_dir: /var/lib/agentd\n");
    expect(readFileSync(join(stage, "etc/systemd/system/agentd.service"), "utf8")).toContain("ExecStart=/usr/local/bin/agentd serve --config /etc/agentd/agentd.yaml\n");
    expect(existsSync(join(stage, "var/lib/agentd"))).toBe(true);
  });

  test("mistakes are refused with a reason", () => {
    expect(run(["--bogus"]).code).toBe(2);
    const missing = run(["--prefix", scratch, "--binary", join(scratch, "nope")]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain("does not exist");
    expect(run(["--purge"]).output).toContain("--purge goes with --uninstall");
    const notTar = join(scratch, "broken.tar.gz");
    writeFileSync(notTar, "no");
    expect(run([notTar, "--prefix", scratch]).output).toContain("is not a readable .tar.gz");
  });

  test("shellcheck finds nothing in install.sh", () => {
    whenAvailable("shellcheck", () => {
      const lint = Bun.spawnSync(["shellcheck", INSTALL], { stdout: "pipe", stderr: "pipe" });
      expect(lint.stdout.toString() + lint.stderr.toString()).toBe("");
      expect(lint.exitCode).toBe(0);
    });
  });
});
