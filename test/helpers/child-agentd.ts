import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnBinary, type Spawned } from "./binary.ts";

const ROOT = resolve(import.meta.dir, "../..");

export interface ChildAgentd {
  spawned: Spawned;
  url: string;
  /** kill -9: no shutdown code runs. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs `bun src/main.ts serve` as a child process configured by `env`; resolves once it listens. */
export async function startChildAgentd(dataDir: string, env: Record<string, string>): Promise<ChildAgentd> {
  const spawned = spawnBinary(process.execPath, [join(ROOT, "src/main.ts"), "serve"], {
    cwd: dataDir,
    env: { AGENTD_DATA_DIR: dataDir, AGENTD_SERVER__HOST: "127.0.0.1", AGENTD_SERVER__PORT: "0", ...env },
  });
  await spawned.waitForOutput('"msg":"agentd listening"', 20_000);
  const line = spawned.output().split("\n").find((text) => text.includes('"msg":"agentd listening"'))!;
  const url = (JSON.parse(line) as { url: string }).url;
  return {
    spawned,
    url,
    async crash() {
      spawned.proc.kill("SIGKILL");
      await spawned.proc.exited;
    },
    async stop() {
      spawned.proc.kill("SIGTERM");
      await spawned.proc.exited;
    },
  };
}

/** The generated password of the first start's `admin` account. */
export const initialAdminPassword = (dataDir: string) => readFileSync(join(dataDir, "initial-admin-password"), "utf8").trim();
