import type { QueuedTask } from "../queue/queue.ts";
import type { EmitTaskEvent } from "./task-events.ts";

/**
 * Runs tasks somewhere (a worker thread, or the main thread). `run` resolves after the task's
 * `end` event was emitted; when the place it ran in failed it rejects instead, and the caller
 * ends the turn.
 */
export interface TaskExecutor {
  run(task: QueuedTask, emit: EmitTaskEvent): Promise<void>;
  /** Stops accepting tasks and frees threads. Tasks still running are abandoned. */
  close(): Promise<void>;
}
