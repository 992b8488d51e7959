#!/usr/bin/env bun
/**
 * The load generator: a process of its own, so the clients never share the server's event loop.
 *
 *   bun bench/loadgen/main.ts '<job JSON>'
 *
 * Progress goes to stderr; the result is the last line on stdout, as JSON.
 */
import { runBurst } from "./burst.ts";
import { runEcho } from "./echo.ts";
import { runIdle } from "./idle.ts";
import type { Job } from "./jobs.ts";
import { runStream } from "./stream.ts";

const job = JSON.parse(process.argv[2] ?? "null") as Job | null;
if (!job) {
  console.error("usage: bun bench/loadgen/main.ts '<job JSON>'");
  process.exit(2);
}
async function run(job: Job): Promise<unknown> {
  switch (job.kind) {
    case "agentd":
    case "limit":
      return runStream(job);
    case "echo":
      return runEcho(job);
    case "idle":
      return runIdle(job);
    case "burst":
      return runBurst(job);
  }
}
const result = await run(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
