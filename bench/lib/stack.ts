/**
 * The processes under test: the fixture model, agentd (the compiled dist/agentd, built when missing
 * or older than its sources), the bare echo server; and the pool of users every agentd starts with.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Glob } from "bun";
import type { PoolUser } from "../loadgen/agentd-session.ts";
import type { ModelPacing } from "./expected.ts";
import { ROOT, runCommand, spawnChild, type Child } from "./spawn.ts";

export const BINARY = join(ROOT, "dist/agentd");
export const BENCH_CONFIG = "bench/agentd.bench.yaml";
const BUILD_INPUTS = ["src/**", "ui/**", "scripts/build.ts", "package.json", "bun.lock"];

/** Builds dist/agentd with `bun run build` unless it is newer than every file it is built from. */
export async function ensureBinary(log: (line: string) => void): Promise<void> {
  const built = existsSync(BINARY) ? statSync(BINARY).mtimeMs : 0;
  let newest = 0;
  for (const pattern of BUILD_INPUTS) {
    for (const file of new Glob(pattern).scanSync({ cwd: ROOT })) newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  }
  if (built > newest) return;
  log(built === 0 ? "building dist/agentd" : "dist/agentd is older than its sources: rebuilding");
  await runCommand("bun run build", [process.execPath, "run", "build"]);
}

export interface Service {
  child: Child;
  url: string;
  stop(): Promise<void>;
}

/** Starts the fixture model process with `pacing`; resolves once it listens. */
export async function startFixture(pacing: ModelPacing): Promise<Service> {
  const child = spawnChild("fixture model", [
    process.execPath,
    "test/fixtures/openai-fixture-cli.ts",
    `--ttft-ms=${pacing.ttftMs}`,
    `--tokens=${pacing.tokens}`,
    `--gap-ms=${pacing.gapMs}`,
  ]);
  const { url } = await child.jsonLine<{ url: string }>((line) => typeof line.url === "string");
  return { child, url, stop: () => child.stop() };
}

/** Starts the bare Bun WebSocket echo server. */
export async function startEchoServer(): Promise<Service> {
  const child = spawnChild("echo server", [process.execPath, "bench/servers/echo-server.ts"]);
  const { url } = await child.jsonLine<{ url: string }>((line) => typeof line.url === "string");
  return { child, url, stop: () => child.stop() };
}

/** A data directory holding `size` users made with `agentd user add`, copied into every agentd's own data dir. */
export interface UserPool {
  users: PoolUser[];
  templateDir: string;
  remove(): void;
}

export async function createUserPool(size: number): Promise<UserPool> {
  const templateDir = mkdtempSync(join(tmpdir(), "agentd-bench-users-"));
  const users = Array.from({ length: size }, (_, i) => ({ username: `bench-user-${i}`, password: `bench-password-${i}` }));
  for (const user of users) {
    await runCommand("agentd user add", [BINARY, "user", "add", user.username, "--password-stdin", "--config", BENCH_CONFIG], {
      env: { AGENTD_DATA_DIR: templateDir },
      stdin: `${user.password}\n`,
    });
  }
  return { users, templateDir, remove: () => rmSync(templateDir, { recursive: true, force: true }) };
}

export interface AgentdOptions {
  name: string;
  modelUrl: string;
  pool: UserPool;
  /** AGENTD_* overrides of this variant. */
  env?: Record<string, string>;
  /** Run from source under `bun --cpu-prof`, writing the profile into this directory on exit. */
  profileDir?: string;
}

export interface AgentdService extends Service {
  pid: number;
}

/** Starts agentd on a fresh copy of the user pool's data dir. */
export async function startAgentd(options: AgentdOptions): Promise<AgentdService> {
  const dataDir = mkdtempSync(join(tmpdir(), "agentd-bench-data-"));
  for (const file of readdirSync(options.pool.templateDir)) copyFileSync(join(options.pool.templateDir, file), join(dataDir, file));
  const serve = ["serve", "--config", BENCH_CONFIG];
  const command = options.profileDir
    ? [process.execPath, "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${options.profileDir}`, "src/main.ts", ...serve]
    : [BINARY, ...serve];
  const child = spawnChild(options.name, command, {
    env: { AGENTD_DATA_DIR: dataDir, AGENTD_LLM__BASE_URL: options.modelUrl, ...options.env },
  });
  const { url } = await child.jsonLine<{ msg?: string; url: string }>((line) => line.msg === "agentd listening");
  return {
    child,
    url,
    pid: child.pid,
    async stop() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
