/**
 * What every scenario shares: options, the user pool, fixture model processes by pacing, and
 * running the load generator (or the bare loop) as a separate process.
 */
import type { Job } from "../loadgen/jobs.ts";
import type { StreamResult } from "../loadgen/turns.ts";
import type { ModelPacing } from "./expected.ts";
import { spawnChild } from "./spawn.ts";
import { createUserPool, startFixture, type Service, type UserPool } from "./stack.ts";

export interface BenchOptions {
  runs: number;
  warmupMs: number;
  /**
   * The `cpu` scenario's warm-up: longer, because CPU per token is a steady-state figure and a
   * server's JIT compilers were still busy after 3 s (BENCHMARKS.md, session 8).
   */
  cpuWarmupMs: number;
  windowMs: number;
  drainMs: number;
  /** Client counts to measure at; each scenario has its own default. */
  clients?: number[];
  users: number;
  pacing: ModelPacing;
  smoke: boolean;
  /** AGENTD_* settings (from --set) given to every agentd of the run, under the scenario's own. */
  agentdEnv: Record<string, string>;
  /** Run agentd from source under `bun --cpu-prof`, profiles written here. */
  profileDir?: string;
  verbose: boolean;
}

/** One figure a scenario promised, and whether the median met it. */
export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface ScenarioReport {
  /** Every window's raw result. */
  windows: unknown[];
  /** Medians over the runs, by what was measured. */
  summary: Record<string, unknown>;
  targets: TargetCheck[];
  /** Markdown table of the summary. */
  table: string;
  /** Errors, wrong texts, unfinished replies or unexpected closes: any of them fails the run. */
  problems: string[];
}

export class Harness {
  private pool?: Promise<UserPool>;
  private readonly fixtures = new Map<string, Promise<Service>>();
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  constructor(
    readonly options: BenchOptions,
    readonly log: (line: string) => void,
  ) {}

  /** The users every agentd of this invocation starts with (created once with `agentd user add`). */
  users(): Promise<UserPool> {
    this.pool ??= createUserPool(this.options.users).then((pool) => (this.cleanups.push(() => pool.remove()), pool));
    return this.pool;
  }

  /** A fixture model process with `pacing`, shared by the scenarios of this invocation. */
  fixture(pacing: ModelPacing): Promise<Service> {
    const key = JSON.stringify(pacing);
    let fixture = this.fixtures.get(key);
    if (!fixture) {
      fixture = startFixture(pacing).then((service) => (this.cleanups.push(() => service.stop()), service));
      this.fixtures.set(key, fixture);
    }
    return fixture;
  }

  /** Stops `service` when the harness closes (unless stopped before). */
  own<T extends { stop(): Promise<void> }>(service: T): T {
    this.cleanups.push(() => service.stop());
    return service;
  }

  /** Runs one load generator process to completion and returns its result. */
  async loadgen<T = StreamResult>(job: Job): Promise<T> {
    return this.child<T>("load generator", ["bench/loadgen/main.ts", JSON.stringify(job)]);
  }

  /** Runs the bare LangGraph loop process (the `cpu` yardstick). */
  async bareLoop(job: { modelUrl: string; clients: number; pacing: ModelPacing; warmupMs?: number }): Promise<StreamResult> {
    const { warmupMs, windowMs, drainMs } = this.options;
    return this.child("bare loop", ["bench/servers/bare-loop.ts", JSON.stringify({ warmupMs, windowMs, drainMs, ...job })]);
  }

  async close(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
  }

  private async child<T>(name: string, args: string[]): Promise<T> {
    // Bun's fetch runs at most 256 requests at once per process unless told otherwise: the limit
    // clients and the bare loop must not queue inside their own HTTP client.
    const child = spawnChild(name, [process.execPath, ...args], { echoStderr: this.options.verbose, env: { BUN_CONFIG_MAX_HTTP_REQUESTS: "65535" } });
    const timeoutMs = this.options.warmupMs + this.options.windowMs + this.options.drainMs + 600_000;
    const result = await child.jsonLine<T>(() => true, timeoutMs);
    const code = await child.exited;
    if (code !== 0) throw new Error(`${name} exited with ${code}:\n${child.tail()}`);
    return result;
  }
}
