import type { Config } from "../config/schema.ts";
import type { ProviderGate } from "../limits/provider-gate.ts";
import type { Logger } from "../log.ts";
import type { PrometheusMetrics } from "../metrics/prometheus.ts";
import type { TaskExecutor } from "../work/executor.ts";
import { InlineExecutor } from "../work/inline-executor.ts";
import { WorkerPoolExecutor } from "../work/worker-pool.ts";
import { createAgentRuntime } from "./agent-runtime.ts";
import { socketThreadCheckpointsSqlite } from "./local-state.ts";
import { workerThreads } from "./worker-threads.ts";
import { workerEntryUrl } from "./worker-url.ts";

/**
 * Where this node runs agents (`workers.threads`): a pool of worker threads, or the main thread,
 * whose checkpoint writes then leave checkpointing the file to the WAL thread (local-state.ts).
 */
export async function createExecutor(config: Config, log: Logger, providerGate: ProviderGate, metrics: PrometheusMetrics): Promise<TaskExecutor> {
  const threads = workerThreads(config);
  if (threads === 0) {
    return new InlineExecutor(await createAgentRuntime(config, { beforeProviderCall: providerGate, metrics, checkpointsSqlite: socketThreadCheckpointsSqlite(config) }));
  }
  const pool = new WorkerPoolExecutor(
    () => new Worker(workerEntryUrl()),
    config,
    threads,
    providerGate,
    (observations) => metrics.apply(observations),
    (error) => log.error("a worker thread's report could not be handled", { error }),
  );
  await pool.ready();
  log.debug("worker threads ready", { threads, entry: workerEntryUrl() });
  return pool;
}
