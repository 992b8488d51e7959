#!/usr/bin/env bun
/**
 * `bun run bench [scenario] [options]`: agentd's speed and memory, always side by side with the
 * limit measured in the same run. See BENCHMARKS.md for what each scenario measures and its target.
 *
 * Exits 1 when any reply failed, had the wrong text or never ended, or a socket closed unexpectedly
 * (never because of speed); 2 on bad arguments.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_PACING } from "./lib/expected.ts";
import { Harness, type BenchOptions, type ScenarioReport } from "./lib/harness.ts";
import { describeMachine } from "./lib/machine.ts";
import { ROOT } from "./lib/spawn.ts";
import { ensureBinary } from "./lib/stack.ts";
import { burstScenario, idleScenario, wsRawScenario } from "./scenarios/sockets.ts";
import { nodesScenario } from "./scenarios/nodes.ts";
import { compressionScenario, cpuScenario, limitScenario, streamScenario, threadsScenario } from "./scenarios/streaming.ts";

const USAGE = `usage: bun run bench [scenario] [options]

scenarios: stream (default), limit, cpu, idle, burst, ws-raw, threads, compression, all

options:
  --smoke            a ~10-second check that the harness works: 10 clients, 1 run, results not saved
  --runs N           measured runs per figure (default 3); the report gives the median
  --nodes 2          with stream: clients on node A, replies computed on node B (Redis + Postgres)
  --clients A,B,...  client counts (idle: socket counts at which memory is read)
  --warmup-s S       warm-up before each window, excluded from the figures (default 3; the cpu
                     scenario's default is 20, its figure being the steady state once the JIT
                     compilers have settled)
  --window-s S       measurement window (default 10)
  --users N          size of the user pool made with \`agentd user add\` (default 10)
  --ttft-ms/--tokens/--gap-ms   fixture model pacing (default 100 ms, 50 tokens, 20 ms)
  --rate N           burst: messages offered per second (default 2100: 5% above the 2,000/s target,
                     since accepted/s is counted up to the last acceptance and so falls just short of
                     the offered rate even when every message is accepted at once)
  --burst-s S        burst: seconds of offered load (default 3)
  --set KEY=VALUE    an agentd config key for every agentd of the run (repeatable), e.g.
                     --set workers.concurrency=1000; recorded in the results
  --profile DIR      run agentd from source under \`bun --cpu-prof\`, profiles written to DIR
  --tag NAME         save as bench/results/<scenario>-<date>-NAME.json (for variant runs)
  --no-save          do not write bench/results/<scenario>-<date>.json
  --verbose          pass the load generator's stderr through`;

const SCENARIOS = ["stream", "limit", "cpu", "idle", "burst", "ws-raw", "threads", "compression", "nodes"] as const;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      smoke: { type: "boolean" },
      runs: { type: "string" },
      clients: { type: "string" },
      "warmup-s": { type: "string" },
      nodes: { type: "string" },
      "window-s": { type: "string" },
      users: { type: "string" },
      "ttft-ms": { type: "string" },
      tokens: { type: "string" },
      "gap-ms": { type: "string" },
      rate: { type: "string" },
      "burst-s": { type: "string" },
      set: { type: "string", multiple: true },
      profile: { type: "string" },
      "no-save": { type: "boolean" },
      tag: { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
// `stream --nodes 2` is the cross-node variant of stream (the `nodes` scenario).
const scenario = values.nodes === "2" && (positionals[0] ?? "stream") === "stream" ? "nodes" : (positionals[0] ?? "stream");
if (values.nodes !== undefined && values.nodes !== "2") fail("--nodes takes 2 (one node is plain `stream`)");
if (positionals.length > 1 || (scenario !== "all" && !SCENARIOS.includes(scenario as never))) fail(`unknown scenario "${positionals.join(" ")}"`);

const number = (name: string, fallback: number, min = 0): number => {
  const raw = values[name as keyof typeof values];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) fail(`--${name} must be a number ≥ ${min}, got ${JSON.stringify(raw)}`);
  return value;
};
const smoke = values.smoke === true;
const clients = values.clients?.split(",").map((part) => {
  const value = Number(part);
  if (!Number.isInteger(value) || value < 1 || value > 20_000) fail(`--clients takes counts from 1 to 20000, got ${JSON.stringify(part)}`);
  return value;
});
const options: BenchOptions = {
  runs: number("runs", smoke ? 1 : 3, 1),
  warmupMs: number("warmup-s", smoke ? 1 : 3) * 1000,
  cpuWarmupMs: number("warmup-s", smoke ? 1 : 20) * 1000,
  windowMs: number("window-s", smoke ? 2.5 : 10, 0.5) * 1000,
  drainMs: 30_000,
  clients,
  users: number("users", smoke ? 2 : 10, 1),
  pacing: {
    ttftMs: number("ttft-ms", DEFAULT_PACING.ttftMs),
    tokens: number("tokens", DEFAULT_PACING.tokens, 1),
    gapMs: number("gap-ms", DEFAULT_PACING.gapMs),
  },
  smoke,
  agentdEnv: Object.fromEntries(
    (values.set ?? []).map((pair) => {
      const match = /^([a-z_]+(?:\.[a-z_]+)+)=(.*)$/.exec(pair);
      if (!match) fail(`--set takes a config key path and a value, e.g. workers.concurrency=1000; got ${JSON.stringify(pair)}`);
      return [`AGENTD_${match[1]!.toUpperCase().replaceAll(".", "__")}`, match[2]!];
    }),
  ),
  profileDir: values.profile,
  verbose: values.verbose === true,
};
const rate = number("rate", smoke ? 200 : 2_100, 1);
const burstSeconds = number("burst-s", smoke ? 1 : 3, 0.1);

const log = (line: string) => console.error(`[bench] ${line}`);
const run: Record<(typeof SCENARIOS)[number], (harness: Harness) => Promise<ScenarioReport>> = {
  stream: streamScenario,
  limit: limitScenario,
  cpu: cpuScenario,
  idle: idleScenario,
  burst: (harness) => burstScenario(harness, rate, burstSeconds),
  "ws-raw": wsRawScenario,
  threads: threadsScenario,
  compression: compressionScenario,
  nodes: nodesScenario,
};

await ensureBinary(log);
const machine = describeMachine();
log(`${machine.cores} cores, ${machine.memoryGb} GB, ${machine.cpuModel}; open files ${machine.openFilesLimit}`);
let problems = 0;
let current: Harness | undefined;
// Ctrl-C must not leave a fixture model or an agentd behind.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping the processes of this run`);
    void (current?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}
for (const name of scenario === "all" ? SCENARIOS : [scenario as (typeof SCENARIOS)[number]]) {
  const harness = (current = new Harness(options, log));
  const startedAt = new Date();
  log(`scenario ${name}`);
  let report: ScenarioReport;
  try {
    report = await run[name](harness);
  } finally {
    await harness.close();
  }
  problems += report.problems.length;
  console.log(`\n## ${name} (${startedAt.toISOString()}, median of ${options.runs} run${options.runs > 1 ? "s" : ""})\n\n${report.table}\n`);
  for (const target of report.targets) console.log(`- ${target.met ? "met" : "MISSED"}: ${target.name}: ${target.measured} (target ${target.target})`);
  for (const problem of report.problems) console.log(`- PROBLEM: ${problem}`);
  if (!smoke && values["no-save"] !== true) {
    if (values.tag !== undefined && !/^[a-z0-9-]+$/.test(values.tag)) fail("--tag takes lower-case letters, digits and dashes");
    const base = `${name}-${startedAt.toISOString().slice(0, 10)}${values.tag ? `-${values.tag}` : ""}.json`;
    const file = join(ROOT, "bench/results", base);
    mkdirSync(join(ROOT, "bench/results"), { recursive: true });
    const command = `bun run bench ${process.argv.slice(2).join(" ")}`.trim();
    // A profile directory is a local path: record only that the run was profiled.
    const recorded = { ...options, profileDir: undefined, profiled: options.profileDir !== undefined };
    writeFileSync(file, `${JSON.stringify({ scenario: name, startedAt, command, machine, options: recorded, ...report }, null, 1)}\n`);
    log(`wrote bench/results/${base}`);
  }
}
process.exit(problems > 0 ? 1 : 0);
