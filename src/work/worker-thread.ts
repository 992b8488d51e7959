import type { Config } from "../config/schema.ts";
import type { AgentRuntime } from "./agent-runtime.ts";
import { runTask } from "./run-task.ts";
import type { FromWorker, ToWorker } from "./thread-messages.ts";

declare const self: Worker;

/**
 * The body of a worker thread: builds its runtime from the `init` message, then runs every `run`
 * message concurrently, posting each task event back to the main thread. An `abort` message
 * aborts that task's model request at once.
 */
export function serveWorkerThread(createRuntime: (config: Config) => Promise<AgentRuntime>): void {
  let runtime: Promise<AgentRuntime> | undefined;
  const running = new Map<string, AbortController>();
  const post = (message: FromWorker) => self.postMessage(message);

  self.onmessage = async (event: MessageEvent<ToWorker>) => {
    const message = event.data;
    if (message.type === "init") {
      runtime = createRuntime(message.config);
      runtime.then(
        () => post({ type: "ready" }),
        (error) => post({ type: "init-failed", message: String(error?.message ?? error) }),
      );
      return;
    }
    if (message.type === "abort") return running.get(message.taskId)?.abort(message.reason);
    if (message.type === "run") {
      const { task } = message;
      const controller = new AbortController();
      running.set(task.taskId, controller);
      try {
        const ready = await runtime!;
        await runTask(ready, task, (taskEvent) => post({ type: "event", taskId: task.taskId, event: taskEvent }), {
          signal: controller.signal,
          model: message.model,
        });
      } finally {
        running.delete(task.taskId);
      }
    }
  };
}
