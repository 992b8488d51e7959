import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

export interface PrivateRedis {
  /** The Unix socket it listens on (no TCP port, so nothing can collide). */
  socketPath: string;
  connect(): Redis;
  stop(): Promise<void>;
}

/**
 * A `redis-server` of the test's own, for settings the shared one must not get (tight buffer
 * limits, persistence, a restart). Returns null when redis-server is not installed.
 */
export async function startPrivateRedis(settings: string[] = []): Promise<PrivateRedis | null> {
  if (!Bun.which("redis-server")) return null;
  const directory = mkdtempSync(join(tmpdir(), "agentd-redis-"));
  const socketPath = join(directory, "redis.sock");
  const child = Bun.spawn(["redis-server", "--port", "0", "--unixsocket", socketPath, "--dir", directory, "--save", "", "--appendonly", "no", ...settings], {
    stdout: "ignore",
    stderr: "pipe",
  });
  const probe = new Redis({ path: socketPath, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on("error", () => {});
  for (let attempt = 0; ; attempt++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (error) {
      if (attempt > 200 || child.exitCode !== null) {
        child.kill();
        throw new Error(`the private redis-server did not start: ${error}`);
      }
      await Bun.sleep(10);
    }
  }
  probe.disconnect();
  return {
    socketPath,
    connect: () => new Redis({ path: socketPath }),
    async stop() {
      child.kill();
      await child.exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
