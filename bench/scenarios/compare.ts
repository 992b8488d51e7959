/**
 * Closed-loop streaming windows of several contenders (the limit, agentd variants, the bare loop)
 * measured in the same run, interleaved so that the machine's drift hits them all alike.
 */
import type { ModelPacing } from "../lib/expected.ts";
import type { Harness } from "../lib/harness.ts";
import { startAgentd, type AgentdService } from "../lib/stack.ts";
import { median, round } from "../lib/stats.ts";
import { hasErrors, type StreamResult } from "../loadgen/turns.ts";

export interface Contender {
  label: string;
  measure(clients: number): Promise<StreamResult>;
}

/** results[label][clients] = one result per run */
export type Results = Record<string, Record<number, StreamResult[]>>;

export async function compareRuns(harness: Harness, contenders: Contender[], levels: number[]): Promise<Results> {
  const results: Results = {};
  for (let run = 1; run <= harness.options.runs; run++) {
    for (const clients of levels) {
      for (const contender of contenders) {
        const result = await contender.measure(clients);
        ((results[contender.label] ??= {})[clients] ??= []).push(result);
        harness.log(
          `run ${run}/${harness.options.runs} ${contender.label} @${clients}: ${round(result.repliesPerSecond)} replies/s, ` +
            `first delta p50 ${round(result.firstDeltaMs.p50)} ms p99 ${round(result.firstDeltaMs.p99)} ms` +
            (result.machine ? `, machine ${result.machine.busyCores}/${result.machine.cores} cores busy, load ${result.machine.loadAverage}` : "") +
            (result.server ? `, server ${round(result.server.cores)} cores ${JSON.stringify(result.server.threadCores ?? {})}` : "") +
            (hasErrors(result) ? `, PROBLEMS ${JSON.stringify({ failures: result.failures, wrongText: result.wrongText, unfinished: result.unfinished })}` : ""),
        );
      }
    }
  }
  return results;
}

/** The fixture model streamed straight over HTTP: the denominator. */
export async function limitContender(harness: Harness, pacing: ModelPacing): Promise<Contender> {
  const fixture = await harness.fixture(pacing);
  const { warmupMs, windowMs, drainMs } = harness.options;
  return {
    label: "limit",
    measure: (clients) => harness.loadgen({ kind: "limit", url: fixture.url, users: [], clients, warmupMs, windowMs, drainMs, pacing }),
  };
}

/**
 * agentd (dist/agentd, or from source under --cpu-prof) with `env` overrides, on its own
 * fixture-backed server; each window warms up for `warmupMs` (default: the run's `--warmup-s`).
 */
export async function agentdContender(
  harness: Harness,
  label: string,
  pacing: ModelPacing,
  env: Record<string, string> = {},
  warmupMs = harness.options.warmupMs,
): Promise<Contender & { service: AgentdService }> {
  const [fixture, pool] = await Promise.all([harness.fixture(pacing), harness.users()]);
  const service = harness.own(await startAgentd({ name: `agentd (${label})`, modelUrl: fixture.url, pool, env: { ...harness.options.agentdEnv, ...env }, profileDir: harness.options.profileDir }));
  const { windowMs, drainMs } = harness.options;
  return {
    label,
    service,
    measure: (clients) =>
      harness.loadgen({ kind: "agentd", url: service.url, users: pool.users, clients, warmupMs, windowMs, drainMs, pacing, serverPid: service.pid }),
  };
}

/** The bare in-process LangGraph + ChatOpenAI loop (its CPU is its own process's). */
export async function bareContender(harness: Harness, pacing: ModelPacing, warmupMs = harness.options.warmupMs): Promise<Contender> {
  const fixture = await harness.fixture(pacing);
  return { label: "bare loop", measure: (clients) => harness.bareLoop({ modelUrl: fixture.url, clients, pacing, warmupMs }) };
}

/** Medians over the runs of the figures an operator reads, per contender and client count. */
export function summarizeRuns(results: Results) {
  const summary: Record<string, Record<number, Record<string, number>>> = {};
  for (const [label, byLevel] of Object.entries(results)) {
    for (const [clients, runs] of Object.entries(byLevel)) {
      const m = (pick: (result: StreamResult) => number | undefined) => round(median(runs.map((result) => pick(result) ?? Number.NaN)));
      (summary[label] ??= {})[Number(clients)] = {
        repliesPerSecond: m((r) => r.repliesPerSecond),
        deltasPerSecond: m((r) => r.deltasPerSecond),
        firstDeltaP50Ms: m((r) => r.firstDeltaMs.p50),
        firstDeltaP99Ms: m((r) => r.firstDeltaMs.p99),
        acceptP99Ms: m((r) => r.acceptMs?.p99),
        replyP50Ms: m((r) => r.replyMs.p50),
        deltaGapP99Ms: m((r) => r.deltaGapMs.p99),
        serverCores: m((r) => r.server?.cores),
        serverCpuMsPerToken: m((r) => r.server?.cpuMsPerToken),
        serverRssPeakMb: m((r) => (r.server ? r.server.rssPeakBytes / 1e6 : undefined)),
        loadgenCores: m((r) => r.client.cores),
        machineBusyCores: m((r) => r.machine?.busyCores),
        loadAverage: m((r) => r.machine?.loadAverage),
      };
    }
  }
  return summary;
}

/** Median over the runs of `pick(a_run, b_run)`, runs paired by position (measured back to back). */
export function pairedMedian(a: StreamResult[], b: StreamResult[], pick: (a: StreamResult, b: StreamResult) => number): number {
  return round(median(pairedValues(a, b, pick)));
}

/** `pick` of each run paired with the same run of `b` (NaN where `b` has no such run). */
export function pairedValues(a: StreamResult[], b: StreamResult[], pick: (a: StreamResult, b: StreamResult) => number): number[] {
  return a.map((result, i) => (b[i] ? pick(result, b[i]!) : Number.NaN));
}

export function streamTable(summary: ReturnType<typeof summarizeRuns>): string {
  const rows = [
    "| clients | measured | replies/s | first delta p50 / p99 (ms) | reply p50 (ms) | delta gap p99 (ms) | server CPU (cores) | CPU ms / token | server RSS peak (MB) | load generator CPU (cores) | machine busy (cores) / load avg |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const levels = [...new Set(Object.values(summary).flatMap((byLevel) => Object.keys(byLevel).map(Number)))].sort((a, b) => a - b);
  const show = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "–" : String(value));
  for (const clients of levels) {
    for (const [label, byLevel] of Object.entries(summary)) {
      const s = byLevel[clients];
      if (!s) continue;
      rows.push(
        `| ${clients} | ${label} | ${show(s.repliesPerSecond)} | ${show(s.firstDeltaP50Ms)} / ${show(s.firstDeltaP99Ms)} | ${show(s.replyP50Ms)} | ${show(s.deltaGapP99Ms)} | ${show(s.serverCores)} | ${show(s.serverCpuMsPerToken)} | ${show(s.serverRssPeakMb)} | ${show(s.loadgenCores)} | ${show(s.machineBusyCores)} / ${show(s.loadAverage)} |`,
      );
    }
  }
  return rows.join("\n");
}

/** Every error of every window, as lines for the report (empty when the run was clean). */
export function streamProblems(results: Results): string[] {
  const problems: string[] = [];
  for (const [label, byLevel] of Object.entries(results)) {
    for (const [clients, runs] of Object.entries(byLevel)) {
      runs.forEach((result, i) => {
        const closes = Object.keys(result.closeCodes).length > 0;
        if (hasErrors(result) || closes) {
          problems.push(
            `${label} @${clients} run ${i + 1}: ${JSON.stringify({ failures: result.failures, wrongText: result.wrongText, unfinished: result.unfinished, closeCodes: result.closeCodes })}`,
          );
        }
      });
    }
  }
  return problems;
}
