import type { QueuedTask } from "../queue/queue.ts";
import type { EmitTaskEvent, RunOptions } from "./task-events.ts";

/**
 * Runs tasks somewhere (a worker thread, or the main thread). `run` resolves after the task's
 * `end` event was emitted; when the place it ran in failed it rejects instead, and the caller
 * ends the turn. Aborting `options.signal` stops the model request; with reason `abandoned` the
 * caller has moved on and later events are ignored.
 */
export interface TaskExecutor {
  run(task: QueuedTask, emit: EmitTaskEvent, options?: RunOptions): Promise<void>;
  /** Stops accepting tasks and frees threads. Tasks still running are abandoned. */
  close(): Promise<void>;
}
