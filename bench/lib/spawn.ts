/**
 * Child processes of the benchmark: the fixture model, agentd, the echo server, the bare loop and
 * the load generator each run in their own process, with `ulimit -n` raised as far as the system
 * allows and every proxy variable pointing at a dead loopback port, so nothing leaves the machine.
 */
export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** Outbound HTTP through a proxy that does not exist; loopback is exempt. */
const LOOPBACK_ONLY: Record<string, string> = {
  HTTP_PROXY: "http://127.0.0.1:9",
  HTTPS_PROXY: "http://127.0.0.1:9",
  http_proxy: "http://127.0.0.1:9",
  https_proxy: "http://127.0.0.1:9",
  NO_PROXY: "127.0.0.1,localhost,::1",
  no_proxy: "127.0.0.1,localhost,::1",
};

/** Open files a child may hold: 10,000 sockets on each side need more than the usual 1,024. */
export const WANTED_OPEN_FILES = 65_536;
const RAISE_LIMIT = `ulimit -n ${WANTED_OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`;

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<number>;
  /** Resolves with the first stdout line that parses as JSON and satisfies `accept`. */
  jsonLine<T>(accept?: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  /** The last lines the process wrote (stdout and stderr), for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnChild(name: string, command: string[], options: { env?: Record<string, string | undefined>; echoStderr?: boolean } = {}): Child {
  const proc = Bun.spawn(["sh", "-c", RAISE_LIMIT, name, ...command], {
    cwd: ROOT,
    env: { ...process.env, ...LOOPBACK_ONLY, ...options.env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  let recent = "";
  const waiters = new Set<() => void>();
  const remember = (text: string) => {
    recent = (recent + text).slice(-8_000);
  };
  void (async () => {
    let partial = "";
    for await (const chunk of proc.stdout.pipeThrough(new TextDecoderStream())) {
      remember(chunk);
      partial += chunk;
      const parts = partial.split("\n");
      partial = parts.pop()!;
      lines.push(...parts);
      for (const wake of waiters) wake();
    }
  })();
  void (async () => {
    for await (const chunk of proc.stderr.pipeThrough(new TextDecoderStream())) {
      remember(chunk);
      if (options.echoStderr) process.stderr.write(chunk);
    }
  })();
  const exited = proc.exited;
  void exited.then(() => {
    for (const wake of waiters) wake();
  });
  let exitCode: number | undefined;
  void exited.then((code) => (exitCode = code));

  return {
    name,
    pid: proc.pid,
    exited,
    tail: () => recent,
    jsonLine<T>(accept: (value: T) => boolean = () => true, timeoutMs = 30_000): Promise<T> {
      let scanned = 0;
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          for (; scanned < lines.length; scanned++) {
            const line = lines[scanned]!.trim();
            if (!line.startsWith("{")) continue;
            try {
              const value = JSON.parse(line) as T;
              if (accept(value)) return done(() => resolve(value));
            } catch {
              // Not JSON after all; keep looking.
            }
          }
          if (exitCode !== undefined) done(() => reject(new Error(`${name} exited with ${exitCode}:\n${recent}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`${name}: no answer in ${timeoutMs} ms:\n${recent}`))), timeoutMs);
        const done = (finish: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          finish();
        };
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (exitCode !== undefined) return;
      proc.kill("SIGTERM");
      const killer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Runs a command to completion; throws with its output when it fails. */
export async function runCommand(name: string, command: string[], options: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<string> {
  const proc = Bun.spawn(command, {
    cwd: ROOT,
    env: { ...process.env, ...LOOPBACK_ONLY, ...options.env },
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${out}${err}`);
  return out;
}
