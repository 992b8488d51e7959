import type { Config } from "../config/schema.ts";
import type { Observation } from "../metrics/recorder.ts";
import type { QueuedTask } from "../queue/queue.ts";
import type { TaskEvent } from "./task-events.ts";

/** Main thread → worker thread. */
export type ToWorker = { type: "init"; config: Config } | { type: "run"; task: QueuedTask };

/** Worker thread → main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "init-failed"; message: string }
  | { type: "event"; taskId: string; event: TaskEvent }
  /** Metrics the thread recorded since its last such message, for the main thread's registry. */
  | { type: "metrics"; observations: Observation[] };
