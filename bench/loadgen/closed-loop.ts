/**
 * Closed-loop load: every client sends its next message as soon as its previous reply ended, so
 * throughput shows where the system saturates rather than an arrival rate we chose. Clients start
 * spread over `staggerMs` so their turns do not move in lock-step waves.
 */
import { expectedReplyFor, messageContent } from "../lib/expected.ts";
import { loadAverage, machineCpu, sampleProcess, threadCpu, watchProcess } from "../lib/proc.ts";
import type { StreamJob } from "./jobs.ts";
import type { Turn, Window } from "./turns.ts";

/** One client's way of running a turn (a WebSocket, an HTTP stream, an in-process graph). */
export interface TurnDriver {
  /** False once the client can run no more turns (its socket closed). */
  readonly alive: boolean;
  /** Sends `turn.content`, fills in the turn as its reply arrives, and calls `done` exactly once when it ended. */
  run(turn: Turn, done: () => void): void;
}

export interface ClosedLoopOptions {
  warmupMs: number;
  windowMs: number;
  /** After the window, how long in-flight replies may take to end before they count as unfinished. */
  drainMs: number;
  staggerMs: number;
  expected: (content: string) => string;
  /** The process whose CPU and memory the window measures, if any. */
  serverPid?: number;
}

/** Runs the drivers through warm-up and one measurement window; returns every turn and the window. */
export async function runClosedLoop(drivers: readonly TurnDriver[], options: ClosedLoopOptions): Promise<{ turns: Turn[]; window: Window }> {
  const turns: Turn[] = [];
  const origin = performance.now();
  const startAt = origin + options.warmupMs;
  const endAt = startAt + options.windowMs;
  const window: Window = { startAt, endAt, client: { cpuStart: process.cpuUsage(), cpuEnd: process.cpuUsage() } };
  let watcher: ReturnType<typeof watchProcess> | undefined;
  const pid = options.serverPid;
  const opened = sleep(options.warmupMs).then(() => {
    window.startAt = performance.now();
    window.client.cpuStart = process.cpuUsage();
    window.machine = { start: machineCpu(), end: machineCpu(), loadAverage: 0 };
    if (pid) {
      watcher = watchProcess(pid);
      window.server = { pid, start: sampleProcess(pid), end: sampleProcess(pid), peakRssBytes: 0, threadsStart: threadCpu(pid) };
    }
  });
  const closed = sleep(options.warmupMs + options.windowMs).then(() => {
    window.endAt = performance.now();
    window.client.cpuEnd = process.cpuUsage();
    if (window.machine) window.machine = { ...window.machine, end: machineCpu(), loadAverage: loadAverage() };
    if (pid && window.server) {
      window.server.end = sampleProcess(pid);
      window.server.threadsEnd = threadCpu(pid);
      window.server.peakRssBytes = watcher?.peakRssBytes ?? 0;
      watcher?.stop();
    }
  });

  const loops = drivers.map(async (driver, client) => {
    await sleep((client * options.staggerMs) / drivers.length);
    for (let k = 0; driver.alive && performance.now() < endAt; k++) {
      const content = messageContent(client, k);
      const turn: Turn = { client, content, expected: options.expected(content), sentAt: 0, deltaAt: [], deltaChars: [], text: "" };
      turns.push(turn);
      await new Promise<void>((resolve) => driver.run(turn, resolve));
    }
  });
  await Promise.all([opened, closed]);
  await Promise.race([Promise.all(loops), sleep(Math.max(0, endAt + options.drainMs - performance.now()))]);
  return { turns, window };
}

/**
 * The closed loop of a stream job, the same for agentd, the model alone and the bare loop: clients
 * start spread over one reply's time (at most half the warm-up), and each reply is checked against
 * what the paced fixture model sends.
 */
export function runStreamLoop(
  drivers: readonly TurnDriver[],
  job: Pick<StreamJob, "warmupMs" | "windowMs" | "drainMs" | "pacing">,
  serverPid: number | undefined,
): Promise<{ turns: Turn[]; window: Window }> {
  const replyMs = job.pacing.ttftMs + job.pacing.tokens * job.pacing.gapMs;
  return runClosedLoop(drivers, {
    warmupMs: job.warmupMs,
    windowMs: job.windowMs,
    drainMs: job.drainMs,
    staggerMs: Math.min(job.warmupMs / 2, replyMs),
    expected: expectedReplyFor(job.pacing),
    serverPid,
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
