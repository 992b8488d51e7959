import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
let built: Promise<string> | undefined;

/**
 * The binary under test: $TEST_AGENTD_BINARY when set (CI points it at dist/agentd), else agentd
 * compiled once per test process into a temp dir by the same script as `bun run build`.
 */
export function buildBinary(): Promise<string> {
  const given = process.env.TEST_AGENTD_BINARY;
  if (given) return Promise.resolve(resolve(given));
  built ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), "agentd-bin-")), "agentd");
    const proc = Bun.spawn([process.execPath, "scripts/build.ts", outfile], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    if ((await proc.exited) !== 0) throw new Error(`build failed: ${await new Response(proc.stderr).text()}`);
    return outfile;
  })();
  return built;
}

export interface Spawned {
  proc: Bun.Subprocess<"pipe", "pipe", "pipe">;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves once a stdout line contains `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

/** Runs the binary with `args` in `cwd`, collecting its output. */
export function spawnBinary(binary: string, args: string[], options: { cwd: string; env?: Record<string, string>; stdin?: string }): Spawned {
  const proc = Bun.spawn([binary, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  if (options.stdin !== undefined) proc.stdin.write(options.stdin);
  proc.stdin.end();
  let text = "";
  const waiters = new Set<() => void>();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      text += decoder.decode(chunk, { stream: true });
      for (const wake of waiters) wake();
    }
  };
  void pump(proc.stdout);
  void pump(proc.stderr);
  return {
    proc,
    output: () => text,
    waitForOutput(needle, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (text.includes(needle)) return done(resolve);
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for "${needle}"; output:\n${text}`))), timeoutMs);
        const done = (finish: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          finish();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * The environment that points an agentd process (the binary, or `bun src/main.ts`) at a fixture
 * model: its model name, the fixture's key, no retries, and one agent worker thread.
 */
export function fixtureModelEnv(model: { url: string }, modelName = "fixture-model"): Record<string, string> {
  return {
    AGENTD_LLM__BASE_URL: model.url,
    AGENTD_LLM__MODEL: modelName,
    AGENTD_LLM__API_KEY: "test-key",
    AGENTD_LLM__MAX_RETRIES: "0",
    AGENTD_WORKERS__THREADS: "1",
  };
}

/** A fresh empty working directory: the binary must not need anything beside it. */
export const emptyDir = (prefix = "agentd-run-") => mkdtempSync(join(tmpdir(), prefix));
