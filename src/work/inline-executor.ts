import type { QueuedTask } from "../queue/queue.ts";
import type { AgentRuntime } from "./agent-runtime.ts";
import type { TaskExecutor } from "./executor.ts";
import { runTask } from "./run-task.ts";
import type { EmitTaskEvent, RunOptions } from "./task-events.ts";

/** Runs tasks on the calling (main) thread: `workers.threads: 0`. */
export class InlineExecutor implements TaskExecutor {
  constructor(private readonly runtime: AgentRuntime) {}

  run(task: QueuedTask, emit: EmitTaskEvent, options: RunOptions = {}): Promise<void> {
    return runTask(this.runtime, task, emit, options);
  }

  async close(): Promise<void> {
    await this.runtime.close();
  }
}
