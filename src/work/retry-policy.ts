import type { TaskEvent } from "./task-events.ts";

/** Longest wait between two runs of a task. */
const MAX_DELAY_MS = 60_000;

/** Exponential backoff with jitter: about base·2^(attempt−1), between half and all of it. */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Whether a run that ended this way may be tried again: a model failure that says so (429, 5xx, network). */
export function isRetryable(end: Extract<TaskEvent, { kind: "end" }>): boolean {
  return end.reason === "failed" && end.modelFailure !== undefined && end.error?.retryable === true;
}
