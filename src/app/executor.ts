import type { Config } from "../config/schema.ts";
import type { ProviderGate } from "../limits/provider-gate.ts";
import type { Logger } from "../log.ts";
import type { PrometheusMetrics } from "../metrics/prometheus.ts";
import type { TaskExecutor } from "../work/executor.ts";
import { InlineExecutor } from "../work/inline-executor.ts";
import { WorkerPoolExecutor } from "../work/worker-pool.ts";
import { createAgentRuntime } from "./agent-runtime.ts";
import { BACKGROUND_WAL_PAGES } from "../storage/sqlite/wal-checkpoints.ts";
import { workerEntryUrl } from "./worker-url.ts";

/**
 * One worker thread per core but one: the main thread (sockets, event log, queue) keeps a core. On
 * 2 cores, 1 thread used 20% less CPU than 2 and cut the first-delta p99 overhead from 69 to 37 ms
 * at 100 chats (BENCHMARKS.md, "threads and compression"); each thread JITs and heaps LangChain anew.
 */
export const autoThreads = (cores: number): number => Math.max(0, cores - 1);

/** How many worker threads `workers.threads` asks for on this machine (0: agents run on the main thread). */
export const workerThreads = (config: Config): number =>
  config.workers.threads === "auto" ? autoThreads(navigator.hardwareConcurrency) : config.workers.threads;

/**
 * Where this node runs agents (`workers.threads`): a pool of worker threads, or the main thread,
 * whose checkpoint writes then leave checkpointing the file to the WAL thread (local-state.ts).
 */
export async function createExecutor(config: Config, log: Logger, providerGate: ProviderGate, metrics: PrometheusMetrics): Promise<TaskExecutor> {
  const threads = workerThreads(config);
  if (threads === 0) {
    return new InlineExecutor(await createAgentRuntime(config, { beforeProviderCall: providerGate, metrics, checkpointsAutoCheckpointPages: BACKGROUND_WAL_PAGES }));
  }
  const pool = new WorkerPoolExecutor(() => new Worker(workerEntryUrl()), config, threads, providerGate, (observations) => metrics.apply(observations));
  await pool.ready();
  log.debug("worker threads ready", { threads, entry: workerEntryUrl() });
  return pool;
}
