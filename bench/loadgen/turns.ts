/**
 * The record of every turn (one message and its reply) a load generator ran, and the figures of a
 * measurement window computed from it. Warm-up turns count only towards errors, never towards speed.
 */
import type { ProcSample } from "../lib/proc.ts";
import { distribution, type Distribution } from "../lib/stats.ts";

export interface Turn {
  client: number;
  content: string;
  expected: string;
  sentAt: number;
  acceptedAt?: number;
  /** performance.now() of every delta's arrival. */
  deltaAt: number[];
  /** Characters each delta carried (agentd may carry several of the model's tokens in one delta). */
  deltaChars: number[];
  text: string;
  endAt?: number;
  /** `completed` when the reply ended normally; otherwise why it did not (an end reason, error code or close). */
  outcome?: string;
}

/** Where a window started and ended, and what was sampled of the server at both ends. */
export interface Window {
  startAt: number;
  endAt: number;
  server?: { pid: number; start: ProcSample; end: ProcSample; peakRssBytes: number; threadsStart?: Record<string, number>; threadsEnd?: Record<string, number> };
  client: { cpuStart: NodeJS.CpuUsage; cpuEnd: NodeJS.CpuUsage };
  /** Whole-machine CPU at both ends (every process: server, model, load generator, others). */
  machine?: { start: { busyMs: number; totalMs: number }; end: { busyMs: number; totalMs: number }; loadAverage: number };
}

export interface ServerUse {
  cpuMs: number;
  /** CPU time over wall time: 1.0 = one core busy. */
  cores: number;
  /** Server CPU per model token delivered: the same measure for a frame per token and for merged frames. */
  cpuMsPerToken: number;
  cpuMsPerReply: number;
  rssStartBytes: number;
  rssEndBytes: number;
  rssPeakBytes: number;
  threads: number;
  /** CPU over wall time of the server's threads, by thread name ("main" = the event loop; "Worker" = agent threads). */
  threadCores?: Record<string, number>;
}

export interface StreamResult {
  clients: number;
  windowMs: number;
  /** Replies that ended, correct, inside the window. */
  completed: number;
  repliesPerSecond: number;
  deltas: number;
  deltasPerSecond: number;
  /** The model's tokens delivered in the window: each delta counted by its share of its reply's text. */
  tokens: number;
  /** Time from sending a message to its first delta, for messages sent inside the window. */
  firstDeltaMs: Distribution;
  /** Time from sending a message to `message.accepted` (agentd only). */
  acceptMs?: Distribution;
  /** Time from sending a message to the end of its reply. */
  replyMs: Distribution;
  /** Time between consecutive deltas of one reply. */
  deltaGapMs: Distribution;
  /** Turns of the whole run (warm-up included) that did not end correctly, by outcome. */
  failures: Record<string, number>;
  wrongText: number;
  unfinished: number;
  turns: number;
  closeCodes: Record<string, number>;
  server?: ServerUse;
  client: { cpuMs: number; cores: number };
  /** Cores busy on the whole machine during the window, and how many it has. */
  machine?: { busyCores: number; cores: number; loadAverage: number };
}

/**
 * The figures of `window` from `turns`, whose replies are `tokensPerReply` tokens of the model
 * each (a delta then counts as its share of the reply's text; without it, as one token).
 */
export function summarize(turns: readonly Turn[], window: Window, clients: number, closeCodes: Record<string, number>, tokensPerReply?: number): StreamResult {
  const inWindow = (at: number | undefined) => at !== undefined && at >= window.startAt && at < window.endAt;
  const seconds = (window.endAt - window.startAt) / 1000;
  const ok = (turn: Turn) => turn.outcome === "completed" && turn.text === turn.expected;
  const measured = turns.filter((turn) => inWindow(turn.sentAt) && ok(turn));
  const completed = turns.filter((turn) => ok(turn) && inWindow(turn.endAt)).length;
  let deltas = 0;
  let tokens = 0;
  for (const turn of turns) {
    const tokensPerChar = tokensPerReply && turn.expected.length > 0 ? tokensPerReply / turn.expected.length : undefined;
    turn.deltaAt.forEach((at, i) => {
      if (!inWindow(at)) return;
      deltas++;
      tokens += tokensPerChar === undefined ? 1 : (turn.deltaChars[i] ?? 0) * tokensPerChar;
    });
  }
  const failures: Record<string, number> = {};
  let wrongText = 0;
  let unfinished = 0;
  for (const turn of turns) {
    if (turn.outcome === undefined) unfinished++;
    else if (turn.outcome !== "completed") failures[turn.outcome] = (failures[turn.outcome] ?? 0) + 1;
    else if (turn.text !== turn.expected) wrongText++;
  }
  const gaps = measured.flatMap((turn) => turn.deltaAt.slice(1).map((at, i) => at - turn.deltaAt[i]!));
  const accepted = measured.filter((turn) => turn.acceptedAt !== undefined);
  const clientCpuMs =
    (window.client.cpuEnd.user + window.client.cpuEnd.system - window.client.cpuStart.user - window.client.cpuStart.system) / 1000;
  return {
    clients,
    windowMs: window.endAt - window.startAt,
    completed,
    repliesPerSecond: completed / seconds,
    deltas,
    deltasPerSecond: deltas / seconds,
    tokens,
    firstDeltaMs: distribution(measured.filter((turn) => turn.deltaAt.length > 0).map((turn) => turn.deltaAt[0]! - turn.sentAt)),
    acceptMs: accepted.length > 0 ? distribution(accepted.map((turn) => turn.acceptedAt! - turn.sentAt)) : undefined,
    replyMs: distribution(measured.map((turn) => turn.endAt! - turn.sentAt)),
    deltaGapMs: distribution(gaps),
    failures,
    wrongText,
    unfinished,
    turns: turns.length,
    closeCodes,
    server: window.server && serverUse(window.server, seconds, tokens, completed),
    client: { cpuMs: clientCpuMs, cores: clientCpuMs / 1000 / seconds },
    ...(window.machine ? { machine: machineUse(window.machine, seconds) } : {}),
  };
}

function serverUse(server: NonNullable<Window["server"]>, seconds: number, tokens: number, completed: number): ServerUse {
  const cpuMs = server.end.cpuMs - server.start.cpuMs;
  return {
    cpuMs,
    cores: cpuMs / 1000 / seconds,
    cpuMsPerToken: cpuMs / tokens,
    cpuMsPerReply: cpuMs / completed,
    rssStartBytes: server.start.rssBytes,
    rssEndBytes: server.end.rssBytes,
    rssPeakBytes: Math.max(server.peakRssBytes, server.end.rssBytes),
    threads: server.end.threads,
    ...(server.threadsStart && server.threadsEnd ? { threadCores: threadCores(server.threadsStart, server.threadsEnd, seconds) } : {}),
  };
}

function machineUse(machine: NonNullable<Window["machine"]>, seconds: number) {
  const busy = (machine.end.busyMs - machine.start.busyMs) / 1000 / seconds;
  const cores = (machine.end.totalMs - machine.start.totalMs) / 1000 / seconds;
  return { busyCores: Math.round(busy * 100) / 100, cores: Math.round(cores), loadAverage: machine.loadAverage };
}

function threadCores(start: Record<string, number>, end: Record<string, number>, seconds: number): Record<string, number> {
  const cores: Record<string, number> = {};
  for (const [name, ms] of Object.entries(end)) {
    const used = (ms - (start[name] ?? 0)) / 1000 / seconds;
    if (used >= 0.005) cores[name] = Math.round(used * 1000) / 1000;
  }
  return cores;
}

/** Whether a run had any error a smoke test must fail on. */
export function hasErrors(result: Pick<StreamResult, "failures" | "wrongText" | "unfinished">): boolean {
  return Object.keys(result.failures).length > 0 || result.wrongText > 0 || result.unfinished > 0;
}
