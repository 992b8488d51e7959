import type { Logger } from "../log.ts";
import type { MetricsRecorder } from "../metrics/recorder.ts";
import type { QueuedTask } from "../queue/queue.ts";
import type { UsageStore } from "../storage/app-store.ts";
import type { TaskEnd } from "./dispatcher.ts";

/**
 * What happens once a task has ended and its end was published: the reply is counted by agent and
 * outcome, its duration observed, and one log line written (ids and outcome only, never the text).
 */
export function observeTaskEnd(deps: { metrics: MetricsRecorder; log: Logger }) {
  return (task: QueuedTask, end: TaskEnd, seconds: number): void => {
    const labels = { agent: task.agent, outcome: end.reason };
    deps.metrics.inc("agentd_messages_total", labels);
    deps.metrics.observe("agentd_task_duration_seconds", labels, seconds);
    const ids = { taskId: task.taskId, conversationId: task.conversationId, userId: task.userId };
    deps.log.info("reply ended", { ...ids, agent: task.agent, reason: end.reason, ms: Math.round(seconds * 1000), ...(end.error ? { errorCode: end.error.code } : {}) });
  };
}

/**
 * Stores the provider's token usage of a task that ended, for the admin usage report. Called beside
 * the task's final state, so that on SQLite both go in one commit; a failure is logged, never thrown
 * (the reply has ended either way).
 */
export function recordTaskUsage(deps: { usage: UsageStore; log: Logger }) {
  return async (task: QueuedTask, end: TaskEnd): Promise<void> => {
    if (!end.usage) return;
    try {
      await deps.usage.record({ taskId: task.taskId, userId: task.userId, inputTokens: end.usage.inputTokens, outputTokens: end.usage.outputTokens });
    } catch (error) {
      deps.log.error("could not store token usage", { taskId: task.taskId, conversationId: task.conversationId, userId: task.userId, error });
    }
  };
}
