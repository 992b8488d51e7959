/** The closed-loop streaming scenarios: `limit`, `stream`, `cpu`, and the `threads` and `compression` variants. */
import type { Harness, ScenarioReport, TargetCheck } from "../lib/harness.ts";
import { medianTarget } from "../lib/targets.ts";
import type { StreamResult } from "../loadgen/turns.ts";
import {
  agentdContender,
  bareContender,
  compareRuns,
  limitContender,
  pairedMedian,
  pairedValues,
  streamProblems,
  streamTable,
  summarizeRuns,
  type Contender,
  type Results,
} from "./compare.ts";

async function report(harness: Harness, contenders: Contender[], levels: number[], targets: (results: Results) => TargetCheck[]): Promise<ScenarioReport> {
  const results = await compareRuns(harness, contenders, levels);
  const summary = summarizeRuns(results);
  return { windows: [results], summary, targets: targets(results), table: streamTable(summary), problems: streamProblems(results) };
}

const levelsOr = (harness: Harness, fallback: number[]) => harness.options.clients ?? (harness.options.smoke ? [10] : fallback);

export async function limitScenario(harness: Harness): Promise<ScenarioReport> {
  return report(harness, [await limitContender(harness, harness.options.pacing)], levelsOr(harness, [10, 100, 500]), () => []);
}

/** At 100 clients: first-delta overhead p50 ≤ 10 ms, p99 ≤ 50 ms; replies/s ≥ 95% of the limit's. */
export async function streamScenario(harness: Harness): Promise<ScenarioReport> {
  const pacing = harness.options.pacing;
  const contenders = [await limitContender(harness, pacing), await agentdContender(harness, "agentd", pacing)];
  return report(harness, contenders, levelsOr(harness, [10, 100, 500]), (results) => {
    const limit = results.limit?.[100];
    const agentd = results.agentd?.[100];
    if (!limit || !agentd) return [];
    const paired = (pick: (a: StreamResult, l: StreamResult) => number) => pairedValues(agentd, limit, pick);
    return [
      medianTarget({ name: "first-delta overhead p50 @100", target: "≤ 10 ms", runs: paired((a, l) => a.firstDeltaMs.p50 - l.firstDeltaMs.p50), unit: " ms", meets: (ms) => ms <= 10 }),
      medianTarget({ name: "first-delta overhead p99 @100", target: "≤ 50 ms", runs: paired((a, l) => a.firstDeltaMs.p99 - l.firstDeltaMs.p99), unit: " ms", meets: (ms) => ms <= 50 }),
      medianTarget({ name: "completed replies/s vs limit @100", target: "≥ 95%", runs: paired((a, l) => (100 * a.repliesPerSecond) / l.repliesPerSecond), unit: "%", meets: (percent) => percent >= 95 }),
    ];
  });
}

/**
 * agentd's server CPU time per delivered delta ≤ 1.2× the bare loop's, both measured in their
 * steady state (`cpuWarmupMs`: the JIT compilers of agentd's larger code were still busy after 3 s).
 */
export async function cpuScenario(harness: Harness): Promise<ScenarioReport> {
  const { pacing, cpuWarmupMs } = harness.options;
  const levels = levelsOr(harness, [100]);
  const contenders = [await bareContender(harness, pacing, cpuWarmupMs), await agentdContender(harness, "agentd", pacing, {}, cpuWarmupMs)];
  return report(harness, contenders, levels, (results) =>
    levels.flatMap((clients) => {
      const bare = results["bare loop"]?.[clients];
      const agentd = results.agentd?.[clients];
      if (!bare || !agentd) return [];
      const ratios = pairedValues(agentd, bare, (a, b) => a.server!.cpuMsPerToken / b.server!.cpuMsPerToken);
      return [medianTarget({ name: `CPU per token delivered vs bare loop @${clients}`, target: "≤ 1.2×", runs: ratios, unit: "×", meets: (ratio) => ratio <= 1.2 })];
    }),
  );
}

/** `workers.threads: 0` (agents on the main thread) against the default (one thread per core). */
export async function threadsScenario(harness: Harness): Promise<ScenarioReport> {
  return variantScenario(harness, "workers.threads: 0", { AGENTD_WORKERS__THREADS: "0" });
}

/** `server.websocket_compression: true` against the default (off). */
export async function compressionScenario(harness: Harness): Promise<ScenarioReport> {
  return variantScenario(harness, "websocket_compression: true", { AGENTD_SERVER__WEBSOCKET_COMPRESSION: "true" });
}

async function variantScenario(harness: Harness, label: string, env: Record<string, string>): Promise<ScenarioReport> {
  const pacing = harness.options.pacing;
  const levels = levelsOr(harness, [100, 500]);
  const contenders = [
    await limitContender(harness, pacing),
    await agentdContender(harness, "agentd (defaults)", pacing),
    await agentdContender(harness, `agentd (${label})`, pacing, env),
  ];
  return report(harness, contenders, levels, (results) =>
    levels.flatMap((clients) => {
      const base = results["agentd (defaults)"]?.[clients];
      const variant = results[`agentd (${label})`]?.[clients];
      if (!base || !variant) return [];
      const ratio = (pick: (r: StreamResult) => number) => pairedMedian(variant, base, (v, b) => pick(v) / pick(b));
      const throughput = ratio((r) => r.repliesPerSecond);
      const cpu = ratio((r) => r.server!.cpuMsPerToken);
      const p99 = ratio((r) => r.firstDeltaMs.p99);
      return [
        {
          name: `${label} vs defaults @${clients}`,
          target: "(informational)",
          measured: `replies/s ×${throughput}, CPU per token ×${cpu}, first-delta p99 ×${p99}`,
          met: true,
        },
      ];
    }),
  );
}
