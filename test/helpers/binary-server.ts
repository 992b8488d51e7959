import { join } from "node:path";
import { spawnBinary, type Spawned } from "./binary.ts";

export interface BinaryServer {
  url: string;
  port: number;
  process: Spawned;
  /** SIGTERM, and wait for the exit code. */
  stop(): Promise<number>;
}

/** The compiled binary serving from `cwd` (data in `cwd/data`) on `port` (0 = any free one). */
export async function startBinaryServer(binary: string, cwd: string, env: Record<string, string>, port = 0): Promise<BinaryServer> {
  const spawned = spawnBinary(binary, ["serve"], {
    cwd,
    env: { AGENTD_DATA_DIR: join(cwd, "data"), AGENTD_SERVER__HOST: "127.0.0.1", AGENTD_SERVER__PORT: String(port), ...env },
  });
  await spawned.waitForOutput("agentd listening");
  const url = /"url":"(http:\/\/[^"]+)"/.exec(spawned.output())![1]!;
  return {
    url,
    port: Number(new URL(url).port),
    process: spawned,
    async stop() {
      spawned.proc.kill("SIGTERM");
      return spawned.proc.exited;
    },
  };
}
