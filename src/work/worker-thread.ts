import type { Config } from "../config/schema.ts";
import type { Observation } from "../metrics/recorder.ts";
import type { AgentRuntime } from "./agent-runtime.ts";
import { runTask } from "./run-task.ts";
import type { FromWorker, ToWorker } from "./thread-messages.ts";

declare const self: Worker;

/**
 * The body of a worker thread: builds its runtime from the `init` message, then runs every `run`
 * message concurrently, posting each task event back to the main thread. `drainMetrics` hands over
 * what the thread recorded; it is posted right before each task's end event, so the main thread's
 * metrics include a task's model requests by the time its end is published.
 */
export function serveWorkerThread(createRuntime: (config: Config) => Promise<AgentRuntime>, drainMetrics: () => Observation[] = () => []): void {
  let runtime: Promise<AgentRuntime> | undefined;
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
    if (message.type === "run") {
      const ready = await runtime!;
      await runTask(ready, message.task, (taskEvent) => {
        if (taskEvent.kind === "end") {
          const observations = drainMetrics();
          if (observations.length > 0) post({ type: "metrics", observations });
        }
        post({ type: "event", taskId: message.task.taskId, event: taskEvent });
      });
    }
  };
}
