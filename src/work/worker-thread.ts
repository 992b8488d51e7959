import type { Config } from "../config/schema.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import type { ProviderGate } from "../limits/provider-gate.ts";
import type { Observation } from "../metrics/recorder.ts";
import type { AgentRuntime } from "./agent-runtime.ts";
import { runTask } from "./run-task.ts";
import { niceThisThread } from "../thread.ts";
import type { FromWorker, ToWorker, WorkerReport } from "./thread-messages.ts";
import { TurnReports } from "./turn-reports.ts";

declare const self: Worker;

/**
 * The body of a worker thread: builds its runtime from the `init` message, then runs every `run`
 * message concurrently, posting each task event back to the main thread. An `abort` message
 * aborts that task's model request at once. `drainMetrics` hands over what the thread recorded; it
 * is posted right before each task's end event, so the main thread's metrics include a task's model
 * requests by the time its end is published.
 */
export function serveWorkerThread(
  createRuntime: (config: Config, beforeProviderCall?: ProviderGate) => Promise<AgentRuntime>,
  drainMetrics: () => Observation[] = () => [],
): void {
  let runtime: Promise<AgentRuntime> | undefined;
  const running = new Map<number, AbortController>();
  // Reports of one event-loop turn (tokens of many replies arrive together) cross in one message:
  // each postMessage costs a structured clone and a wake-up of the main thread. Only a reply's
  // first words do not wait for the rest of the turn (time to first token is what a user
  // notices): they go out at once, with the reports before them.
  const outbox = new TurnReports();
  const flush = () => {
    const messages = outbox.take();
    if (messages.length > 0) self.postMessage({ type: "batch", messages } satisfies FromWorker);
  };
  const post = (message: WorkerReport) => {
    if (outbox.add(message)) setImmediate(flush);
    if (!(message.type === "event" && message.first)) return;
    try {
      flush();
    } catch (error) {
      // As a failed post at the end of the turn does: the thread fails (the pool replaces it and
      // fails its tasks), not the task whose delta happened to be posting.
      setTimeout(() => {
        throw error;
      });
    }
  };
  // The provider call cap is counted on the main thread, so all threads share one count.
  const permits = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextPermit = 0;
  const askMainThread: ProviderGate = (signal) =>
    new Promise<void>((resolve, reject) => {
      const requestId = nextPermit++;
      permits.set(requestId, { resolve, reject });
      signal?.addEventListener("abort", () => permits.delete(requestId) && reject(signal.reason), { once: true });
      post({ type: "provider-permit", requestId });
    });

  self.onmessage = async (event: MessageEvent<ToWorker>) => {
    const message = event.data;
    if (message.type === "init") {
      if (message.config.workers.nice > 0) niceThisThread(message.config.workers.nice);
      runtime = createRuntime(message.config, message.config.limits.llm_requests_per_minute ? askMainThread : undefined);
      runtime.then(
        () => post({ type: "ready" }),
        (error) => post({ type: "init-failed", message: String(error?.message ?? error) }),
      );
      return;
    }
    if (message.type === "abort") return running.get(message.runId)?.abort(message.reason);
    if (message.type === "provider-permit") {
      const permit = permits.get(message.requestId);
      permits.delete(message.requestId);
      const error = message.error;
      if (error) permit?.reject(new AppError(error.code as ErrorCode, error.message, { retryAfterMs: error.retryAfterMs }));
      else permit?.resolve();
      return;
    }
    if (message.type === "run") {
      const { task, runId } = message;
      let reported = false;
      const controller = new AbortController();
      running.set(runId, controller);
      try {
        const ready = await runtime!;
        await runTask(ready, task, (taskEvent) => {
          if (taskEvent.kind === "end") {
            const observations = drainMetrics();
            if (observations.length > 0) post({ type: "metrics", observations });
          }
          const opening = !reported && taskEvent.kind === "delta";
          reported = true;
          post(opening ? { type: "event", runId, event: taskEvent, first: true } : { type: "event", runId, event: taskEvent });
        }, {
          signal: controller.signal,
          model: message.model,
          firstRun: message.firstRun,
        });
      } finally {
        running.delete(runId);
      }
    }
  };
}
