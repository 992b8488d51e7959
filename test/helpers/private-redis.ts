import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

export interface PrivateRedis {
  /** The Unix socket it listens on (no TCP port, so nothing can collide). */
  socketPath: string;
  /** `redis://127.0.0.1:<port>` when started with a TCP port (agentd's `redis.url` takes no socket path). */
  url?: string;
  connect(): Redis;
  /** Stops the server (SIGKILL: no goodbye to clients); `start()` brings it back on the same socket. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A `redis-server` of the test's own, for settings the shared one must not get (tight buffer
 * limits, persistence, a restart). Returns null when redis-server is not installed.
 */
export async function startPrivateRedis(settings: string[] = [], options: { tcp?: boolean } = {}): Promise<PrivateRedis | null> {
  if (!Bun.which("redis-server")) return null;
  const directory = mkdtempSync(join(tmpdir(), "agentd-redis-"));
  const socketPath = join(directory, "redis.sock");
  let child: Bun.Subprocess | undefined;
  const port = options.tcp ? freePort() : 0;

  const start = async () => {
    const spawned = Bun.spawn(["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--unixsocket", socketPath, "--dir", directory, "--save", "", "--appendonly", "no", ...settings], {
      stdout: "ignore",
      stderr: "ignore",
    });
    child = spawned;
    const probe = new Redis({ path: socketPath, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on("error", () => {});
    for (let attempt = 0; ; attempt++) {
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (error) {
        if (attempt > 200 || spawned.exitCode !== null) {
          spawned.kill();
          throw new Error(`the private redis-server did not start: ${error}`);
        }
        await Bun.sleep(10);
      }
    }
    probe.disconnect();
  };
  const kill = async () => {
    child?.kill("SIGKILL");
    await child?.exited;
  };
  await start();
  return {
    socketPath,
    ...(port ? { url: `redis://127.0.0.1:${port}` } : {}),
    connect: () => new Redis({ path: socketPath }),
    kill,
    start,
    async stop() {
      await kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A TCP port nothing listens on right now. */
function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}
