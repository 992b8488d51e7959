#!/usr/bin/env bun
/**
 * What one agent run costs a worker thread, without the server: `runTask` on agentd's own runtime
 * (SQLite checkpointer, output guard, model client) against the fixture model in another process,
 * and beside it LangGraph's checkpointing as it was before decision 022 (every step, `durability:
 * "async"`) and the saver decoding every read, as before decision 025 (no kept values), in the
 * same run:
 *
 *   bun bench/agent-runtime.ts [--turns 1500] [--conversations 50] [--rounds 2]
 *
 * The model answers at once (5 ms to the first of 50 tokens, 1 ms apart), so CPU is what is
 * measured; conversations grow to turns/conversations exchanges, and the first fifth of the turns
 * is warm-up. Variants alternate, each on a fresh data dir; the CPU is this process's (one thread
 * runs the agents, as a worker thread does).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Database } from "bun:sqlite";
import type { AgentGraph } from "../src/agents/agent-graph.ts";
import { createAgentRuntime } from "../src/app/agent-runtime.ts";
import { ConfigSchema } from "../src/config/schema.ts";
import type { AgentRuntime } from "../src/work/agent-runtime.ts";
import { runTask } from "../src/work/run-task.ts";
import { spawnChild } from "./lib/spawn.ts";

const { values } = parseArgs({ options: { turns: { type: "string", default: "1500" }, conversations: { type: "string", default: "50" }, rounds: { type: "string", default: "2" } } });
const turns = Number(values.turns);
const conversations = Number(values.conversations);

const fixture = spawnChild("fixture model", [process.execPath, "test/fixtures/openai-fixture-cli.ts", "--ttft-ms", "5", "--gap-ms", "1", "--tokens", "50"]);
const { url } = await fixture.jsonLine<{ url: string }>((line) => typeof line.url === "string");

type Variant = "shipped" | "every step" | "decoding every read";
const VARIANTS: Variant[] = ["every step", "decoding every read", "shipped"];
async function measure(variant: Variant) {
  const dataDir = mkdtempSync(join(tmpdir(), "agentd-bench-agent-"));
  const config = ConfigSchema.parse({ data_dir: dataDir, llm: { base_url: url, model: "fixture-model", api_key: "bench-key", max_retries: 0 } });
  const runtime = await createAgentRuntime(config, variant === "decoding every read" ? { checkpointsSqlite: { keepStoredBytes: 0 } } : {});
  const agents: AgentRuntime =
    variant === "every step" ? { ...runtime, graphFor: async (agent, model) => ((await runtime.graphFor(agent, model)) as AgentGraph).withConfig({ durability: "async" }) } : runtime;
  let next = 0;
  let deltas = 0;
  let startCpu: NodeJS.CpuUsage | undefined;
  let startDeltas = 0;
  const warmup = Math.floor(turns / 5);
  await Promise.all(
    Array.from({ length: conversations }, async (_, conversation) => {
      while (next < turns) {
        const turn = next++;
        if (turn === warmup) [startCpu, startDeltas] = [process.cpuUsage(), deltas];
        const id = crypto.randomUUID();
        const task = { taskId: id, conversationId: `c${conversation}`, userId: "u", agent: "assistant", userMessageId: `u-${id}`, messageId: id, content: `hello ${turn}` };
        await runTask(agents, task, (event) => {
          if (event.kind === "delta") deltas++;
          else if (event.kind === "end" && event.reason !== "completed") throw new Error(`turn ${turn} ended ${event.reason}`);
        }, { firstRun: true });
      }
    }),
  );
  const cpu = process.cpuUsage(startCpu);
  await runtime.close();
  const checkpoints = new Database(join(dataDir, "checkpoints.db"), { readonly: true });
  const rows = (checkpoints.query("SELECT COUNT(*) AS n FROM checkpoints").get() as { n: number }).n;
  checkpoints.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { variant, cpuMsPerDelta: (cpu.user + cpu.system) / 1000 / (deltas - startDeltas), checkpointsPerTurn: rows / turns };
}

const results: Awaited<ReturnType<typeof measure>>[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const variant of VARIANTS) results.push(await measure(variant));
}
await fixture.stop();
console.log(`${turns} turns over ${conversations} conversations, ${values.rounds} rounds (first fifth of each is warm-up)\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log("| checkpointing | CPU ms per delta, median | each round | checkpoints per turn |");
console.log("| --- | ---: | ---: | ---: |");
for (const variant of VARIANTS) {
  const mine = results.filter((result) => result.variant === variant);
  const perDelta = mine.map((result) => result.cpuMsPerDelta);
  console.log(`| ${variant} | ${median(perDelta).toFixed(4)} | ${perDelta.map((ms) => ms.toFixed(4)).join(", ")} | ${mine[0]!.checkpointsPerTurn} |`);
}
