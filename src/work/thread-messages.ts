import type { Config } from "../config/schema.ts";
import type { Observation } from "../metrics/recorder.ts";
import type { QueuedTask } from "../queue/queue.ts";
import type { AbortReason, ModelTarget, TaskEvent } from "./task-events.ts";

/** Main thread → worker thread. */
export type ToWorker =
  | { type: "init"; config: Config }
  /** `runId`: this run of the task, unique in the pool (a task can run again, e.g. after a lost lease). */
  | { type: "run"; runId: number; task: QueuedTask; model?: ModelTarget; firstRun?: boolean }
  | { type: "abort"; runId: number; reason: AbortReason }
  /** Answer to `provider-permit`: go, or the AppError to fail the call with. */
  | { type: "provider-permit"; requestId: number; error?: { code: string; message: string; retryAfterMs?: number } };

/** Worker thread → main thread: what the thread reports during one turn of its event loop, in order. */
export type FromWorker = { type: "batch"; messages: WorkerReport[] };

/** One report of a worker thread. */
export type WorkerReport =
  | { type: "ready" }
  | { type: "init-failed"; message: string }
  /** An event of run `runId`. `first`: the run's first report, a delta (its reply's first words: the main thread handles it at once). */
  | { type: "event"; runId: number; event: TaskEvent; first?: true }
  /** Asks the main thread's provider call cap for a slot (limits.llm_requests_per_minute). */
  | { type: "provider-permit"; requestId: number }
  /** Metrics the thread recorded since its last such message, for the main thread's registry. */
  | { type: "metrics"; observations: Observation[] };
