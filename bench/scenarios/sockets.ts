/** Scenarios that are not closed-loop chats: `idle` (memory per socket), `burst` (acceptance) and `ws-raw` (the transport limit). */
import { INSTANT_PACING, type ModelPacing } from "../lib/expected.ts";
import type { Harness, ScenarioReport } from "../lib/harness.ts";
import { startAgentd, startEchoServer } from "../lib/stack.ts";
import { median, round } from "../lib/stats.ts";
import { medianTarget } from "../lib/targets.ts";
import type { BurstResult } from "../loadgen/burst.ts";
import type { EchoResult } from "../loadgen/echo.ts";
import type { IdleResult } from "../loadgen/idle.ts";
import { agentdContender, compareRuns, streamProblems } from "./compare.ts";

const mb = (bytes: number) => round(bytes / 1e6);
const med = <T>(runs: T[], pick: (run: T) => number) => round(median(runs.map(pick)));

async function freshAgentd(harness: Harness, label: string, pacing: ModelPacing) {
  const [fixture, pool] = await Promise.all([harness.fixture(pacing), harness.users()]);
  const service = harness.own(await startAgentd({ name: `agentd (${label})`, modelUrl: fixture.url, pool, env: harness.options.agentdEnv, profileDir: harness.options.profileDir }));
  return { service, pool };
}

/** N open authenticated sockets: RSS ≤ 15 MB per 1,000 sockets above the empty server. */
export async function idleScenario(harness: Harness): Promise<ScenarioReport> {
  const steps = harness.options.clients ?? (harness.options.smoke ? [100] : [1_000, 2_500, 5_000, 10_000]);
  const holdMs = harness.options.smoke ? 1_000 : 10_000;
  const runs: IdleResult[] = [];
  for (let run = 1; run <= harness.options.runs; run++) {
    const { service, pool } = await freshAgentd(harness, "idle", harness.options.pacing);
    try {
      const result = await harness.loadgen<IdleResult>({ kind: "idle", url: service.url, users: pool.users, steps, holdMs, serverPid: service.pid });
      runs.push(result);
      harness.log(`run ${run}: ${result.opened} sockets, ${round(result.mbPer1000Sockets)} MB per 1,000, ${result.pongs} answered a ping`);
    } finally {
      await service.stop();
    }
  }
  const perThousand = med(runs, (r) => r.mbPer1000Sockets);
  const rows = ["| sockets | server RSS (MB) | above the seated server (MB) |", "| ---: | ---: | ---: |"];
  rows.push(`| 0 (just started) | ${med(runs, (r) => mb(r.emptyRssBytes))} | – |`);
  rows.push(`| 0 (${steps.at(-1)} conversations created) | ${med(runs, (r) => mb(r.seatedRssBytes))} | 0 |`);
  steps.forEach((sockets, i) =>
    rows.push(`| ${sockets} | ${med(runs, (r) => mb(r.steps[i]!.rssBytes))} | ${med(runs, (r) => mb(r.steps[i]!.rssBytes - r.seatedRssBytes))} |`),
  );
  const problems = runs.flatMap((r, i) =>
    r.openFailures > 0 || r.pongs !== r.opened || Object.keys(r.closeCodes).length > 0
      ? [`run ${i + 1}: ${r.openFailures} failed to open, ${r.opened - r.pongs} did not answer a ping, closes ${JSON.stringify(r.closeCodes)}`]
      : [],
  );
  return {
    windows: runs,
    summary: {
      sockets: steps.at(-1),
      mbPer1000Sockets: perThousand,
      openSeconds: med(runs, (r) => r.openSeconds),
      holdCores: med(runs, (r) => r.holdCores),
    },
    targets: [
      medianTarget({ name: `RSS per 1,000 open sockets (${steps.at(-1)} open)`, target: "≤ 15 MB", runs: runs.map((r) => r.mbPer1000Sockets), unit: " MB", meets: (mb) => mb <= 15 }),
    ],
    table: rows.join("\n"),
    problems,
  };
}

/** Messages offered at `rate`/s to a model that answers at once: ≥ 2,000 accepted/s, p99 accept ≤ 20 ms. */
export async function burstScenario(harness: Harness, rate: number, seconds: number): Promise<ScenarioReport> {
  const clients = harness.options.clients?.[0] ?? (harness.options.smoke ? 20 : 200);
  const runs: BurstResult[] = [];
  for (let run = 1; run <= harness.options.runs; run++) {
    const { service, pool } = await freshAgentd(harness, "burst", INSTANT_PACING);
    try {
      const result = await harness.loadgen<BurstResult>({
        kind: "burst",
        url: service.url,
        users: pool.users,
        clients,
        rate,
        // One second of the same burst first, answered in full: a fresh server's JIT took a third
        // of a core during the measured seconds (the stream scenarios exclude their warm-up too).
        warmupMs: harness.options.smoke ? 0 : 1000,
        windowMs: seconds * 1000,
        drainMs: 300_000,
        pacing: INSTANT_PACING,
        serverPid: service.pid,
      });
      runs.push(result);
      harness.log(
        `run ${run}: offered ${rate}/s, accepted ${round(result.acceptedPerSecond)}/s, accept p50 ${round(result.acceptMs.p50)} ms p99 ${round(result.acceptMs.p99)} ms, all ${result.repliesCompleted} replies in ${round(result.drainSeconds)} s, server ${round(result.server.cores)} cores ${JSON.stringify(result.server.threadCores ?? {})}`,
      );
    } finally {
      await service.stop();
    }
  }
  const accepted = med(runs, (r) => r.acceptedPerSecond);
  const p99 = med(runs, (r) => r.acceptMs.p99);
  const summary = {
    clients,
    offeredPerSecond: rate,
    acceptedPerSecond: accepted,
    acceptP50Ms: med(runs, (r) => r.acceptMs.p50),
    acceptP99Ms: p99,
    acceptMaxMs: med(runs, (r) => r.acceptMs.max),
    repliesPerSecondUntilDrained: med(runs, (r) => r.repliesCompleted / r.drainSeconds),
    drainSeconds: med(runs, (r) => r.drainSeconds),
    serverCoresWhileAccepting: med(runs, (r) => r.server.cores),
  };
  const table = [
    "| sockets | offered/s | accepted/s | accept p50 / p99 / max (ms) | replies/s until all ended | server CPU while accepting (cores) |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${clients} | ${rate} | ${accepted} | ${summary.acceptP50Ms} / ${p99} / ${summary.acceptMaxMs} | ${summary.repliesPerSecondUntilDrained} | ${summary.serverCoresWhileAccepting} |`,
  ].join("\n");
  const problems = runs.flatMap((r, i) =>
    Object.keys(r.failures).length > 0 || r.wrongText > 0 || r.unfinished > 0 || Object.keys(r.closeCodes).length > 0
      ? [`run ${i + 1}: ${JSON.stringify({ failures: r.failures, wrongText: r.wrongText, unfinished: r.unfinished, closeCodes: r.closeCodes })}`]
      : [],
  );
  return {
    windows: runs,
    summary,
    targets: [
      medianTarget({
        name: "messages accepted per second",
        target: "≥ 2,000/s",
        runs: runs.map((r) => r.acceptedPerSecond),
        unit: "/s",
        note: ` (offered ${rate}/s)`,
        meets: (perSecond) => perSecond >= 2_000,
      }),
      medianTarget({ name: "accept latency p99", target: "≤ 20 ms", runs: runs.map((r) => r.acceptMs.p99), unit: " ms", meets: (ms) => ms <= 20 }),
    ],
    table,
    problems,
  };
}

/** The transport limit: a bare Bun echo server's frames/s, and agentd's frames/s with a model that never waits. */
export async function wsRawScenario(harness: Harness): Promise<ScenarioReport> {
  const levels = harness.options.clients ?? (harness.options.smoke ? [10] : [100, 500]);
  const pacing: ModelPacing = { ttftMs: 0, tokens: harness.options.pacing.tokens, gapMs: 0 };
  const echo = harness.own(await startEchoServer());
  const agentd = await agentdContender(harness, "agentd", pacing);
  const { warmupMs, windowMs, drainMs } = harness.options;
  const echoRuns: Record<number, EchoResult[]> = {};
  for (let run = 1; run <= harness.options.runs; run++) {
    for (const clients of levels) {
      const result = await harness.loadgen<EchoResult>({ kind: "echo", url: echo.url, clients, warmupMs, windowMs, drainMs, serverPid: echo.child.pid });
      (echoRuns[clients] ??= []).push(result);
      harness.log(`run ${run} echo @${clients}: ${round(result.framesPerSecond)} frames/s`);
    }
  }
  const agentdRuns = await compareRuns(harness, [agentd], levels);
  const rows = [
    "| clients | bare echo frames/s | agentd frames/s (model never waits) | ratio | agentd tokens/s | tokens/s ÷ echo frames/s | echo server CPU (cores) | agentd CPU (cores) |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const summary: Record<number, Record<string, number>> = {};
  for (const clients of levels) {
    const echoes = echoRuns[clients]!;
    const chats = agentdRuns.agentd![clients]!;
    // Frames an agentd client receives: the deltas, plus message.accepted and message.end per reply.
    const frames = chats.map((r) => r.deltasPerSecond + 2 * r.repliesPerSecond);
    const ratio = round(median(chats.map((_, i) => frames[i]! / (echoes[i]?.framesPerSecond ?? Number.NaN))));
    // Tokens that reach a worker thread together cross as one delta (decision 023), so with a
    // model that never waits a frame carries many tokens: tokens/s is the frame rate a frame per
    // token would need.
    const tokens = chats.map((r) => r.tokens / (r.windowMs / 1000));
    const tokenRatio = round(median(chats.map((_, i) => tokens[i]! / (echoes[i]?.framesPerSecond ?? Number.NaN))));
    summary[clients] = {
      echoFramesPerSecond: med(echoes, (r) => r.framesPerSecond),
      agentdFramesPerSecond: round(median(frames)),
      ratio,
      agentdTokensPerSecond: round(median(tokens)),
      tokenRatio,
      echoServerCores: med(echoes, (r) => r.server.cores),
      agentdServerCores: med(chats, (r) => r.server!.cores),
    };
    const s = summary[clients]!;
    rows.push(`| ${clients} | ${s.echoFramesPerSecond} | ${s.agentdFramesPerSecond} | ${s.ratio} | ${s.agentdTokensPerSecond} | ${s.tokenRatio} | ${s.echoServerCores} | ${s.agentdServerCores} |`);
  }
  const problems = [
    ...streamProblems(agentdRuns),
    ...Object.entries(echoRuns).flatMap(([clients, runs]) =>
      runs.flatMap((r, i) => (r.wrongEcho > 0 || Object.keys(r.closeCodes).length > 0 ? [`echo @${clients} run ${i + 1}: ${r.wrongEcho} wrong echoes, closes ${JSON.stringify(r.closeCodes)}`] : [])),
    ),
  ];
  return {
    windows: [{ echo: echoRuns, agentd: agentdRuns }],
    summary,
    targets: levels.map((clients) => ({
      name: `agentd frames/s ÷ bare echo frames/s @${clients}`,
      target: "(report)",
      measured: `${summary[clients]!.ratio} (tokens/s ÷ echo frames/s: ${summary[clients]!.tokenRatio})`,
      met: true,
    })),
    table: rows.join("\n"),
    problems,
  };
}
