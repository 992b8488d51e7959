import { join } from "node:path";

export interface AgentdProcess {
  url: string;
  /** Every line it wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number>;
  /** kill -9: no shutdown code runs. */
  crash(): Promise<void>;
}

const projectRoot = join(import.meta.dir, "..", "..");

/**
 * `agentd serve` as a real process (`bun src/main.ts`, or the compiled `binary`), configured
 * through the environment on port 0; resolves once it logs "agentd listening".
 */
export async function spawnAgentd(env: Record<string, string>, options: { binary?: string; timeoutMs?: number } = {}): Promise<AgentdProcess> {
  const command = options.binary ? [options.binary, "serve"] : [process.execPath, "src/main.ts", "serve"];
  const timeoutMs = options.timeoutMs ?? 20_000;
  const child = Bun.spawn(command, {
    cwd: projectRoot,
    env: { ...process.env, AGENTD_SERVER__HOST: "127.0.0.1", AGENTD_SERVER__PORT: "0", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let output = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  void pump(child.stdout);
  void pump(child.stderr);
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!(url = /"msg":"agentd listening".*?"url":"([^"]+)"/.exec(output)?.[1])) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`agentd did not start (exit ${child.exitCode}):\n${output}`);
    }
    await Bun.sleep(20);
  }
  return {
    url,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      return child.exited;
    },
    async crash() {
      child.kill("SIGKILL");
      await child.exited;
    },
  };
}
