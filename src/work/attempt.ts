import { countsAsFailure, type CircuitBreakers } from "../breaker/breaker.ts";
import type { EventLog } from "../events/event-log.ts";
import type { WireError } from "../protocol/index.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import type { LeasedTask, TaskQueue } from "../queue/queue.ts";
import type { TaskStore } from "../storage/app-store.ts";
import { FINAL_TASK_STATES, type TaskState } from "../storage/types.ts";
import type { TaskExecutor } from "./executor.ts";
import { isRetryable, retryDelayMs } from "./retry-policy.ts";
import { describeFailure } from "./run-task.ts";
import type { AbortReason, ModelTarget, TaskEvent } from "./task-events.ts";
import { TurnPublisher } from "./turn-publisher.ts";

/** How a run ended; `crashed` when the thread running it died (it may run again, like after a node crash). */
type End = Extract<TaskEvent, { kind: "end" }> & { crashed?: boolean };

/** The model names the breakers know the two configured models by. */
export const BREAKER_NAMES: Record<ModelTarget, string> = { primary: "llm", fallback: "llm.fallback" };

export interface AttemptDeps {
  queue: TaskQueue;
  executor: TaskExecutor;
  tasks: TaskStore;
  events: EventLog;
  pubsub: PubSub;
  breakers: CircuitBreakers;
  /** This node's name on its leases. */
  owner: string;
  maxRetries: number;
  retryBaseMs: number;
  softTimeoutMs: number;
  hardTimeoutMs: number;
  /** Whether llm.fallback is configured. */
  hasFallback: boolean;
  /** A retry was scheduled: the task is due again after `delayMs`. */
  onRetry: (delayMs: number) => void;
  onError: (error: unknown) => void;
  /** A task runs again (a retry after a failure, or a re-run after its node or thread died). */
  onRerun?: () => void;
  /** Called once per task after its end was published and its state stored (metrics, log). */
  onTaskEnd?: (task: LeasedTask, end: Extract<TaskEvent, { kind: "end" }>, seconds: number) => void;
  /** Stores the ended task's token usage, beside its final state (one commit on SQLite); never rejects. */
  recordUsage?: (task: LeasedTask, end: Extract<TaskEvent, { kind: "end" }>) => Promise<void>;
  /** A reply ended with secrets redacted by the output guard (counts per kind; never the secrets). */
  onRedactions?: (redactions: Record<string, number>, task: { taskId: string; conversationId: string; userId: string }) => void;
}

const STATE_FOR_REASON: Record<End["reason"], TaskState> = {
  completed: "succeeded",
  cancelled: "cancelled",
  timeout: "failed",
  failed: "failed",
};

/**
 * One run of a leased task: checks it is still wanted, picks the model through the breakers, runs
 * it under soft and hard timeouts, and then either ends the turn (exactly one `message.end`),
 * schedules a retry, or — when the lease was lost — leaves the task to its new owner. A run after
 * the first starts with `message.reset`, so the client drops what an earlier run showed.
 */
export class Attempt {
  private readonly controller = new AbortController();
  private readonly startedAt = performance.now();
  private readonly publisher: TurnPublisher;
  /** Whether this run has told the client to drop what earlier runs showed. */
  private resetSent = false;

  constructor(
    private readonly deps: AttemptDeps,
    readonly task: LeasedTask,
  ) {
    this.publisher = new TurnPublisher(deps.events, deps.pubsub, task, deps.onError);
  }

  /** Stops the run; it ends according to `reason` (a cancel or timeout keeps the partial reply). */
  abort(reason: AbortReason): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  async run(): Promise<void> {
    const { tasks, queue, owner } = this.deps;
    const { task } = this;
    const record = await tasks.findById(task.taskId);
    if (!record || FINAL_TASK_STATES.includes(record.state)) return void (await queue.ack(task.taskId, owner));
    if (record.cancelRequested) return this.conclude({ kind: "end", reason: "cancelled" });
    if (task.attempt > this.deps.maxRetries + 1) {
      return this.conclude({
        kind: "end",
        reason: "failed",
        error: { code: "internal", message: `The reply could not be generated after ${task.attempt - 1} attempts.`, retryable: true },
      });
    }
    const choice = await this.chooseModel();
    if ("unavailable" in choice) return this.conclude({ kind: "end", reason: "failed", error: choice.unavailable });

    // Stored while the model is asked, not before: the state is for the task API and the admin,
    // and a run that dies before it is stored is run again all the same (its lease expires).
    const marked = tasks.markRunning(task.taskId, task.attempt);
    marked.catch(() => {}); // awaited below, after the run
    if (task.attempt > 1) {
      this.deps.onRerun?.();
      this.sendReset();
    }
    const end = await this.execute(choice.model, record.attempts === 0 && task.attempt === 1);
    await marked;
    if (this.controller.signal.reason === "lease-lost") return;
    if (choice.permit) await this.recordOutcome(choice.model, choice.permit.trial, end);
    if ((isRetryable(end) || end.crashed) && task.attempt <= this.deps.maxRetries && !this.controller.signal.aborted) return this.retry();
    await this.conclude(end);
  }

  /** Runs the task on the executor under the timeouts; resolves with how it ended. */
  private async execute(model: ModelTarget, firstRun: boolean): Promise<End> {
    const { softTimeoutMs, hardTimeoutMs } = this.deps;
    let end: End | undefined;
    let settled = false;
    const soft = setTimeout(() => this.abort("timeout"), softTimeoutMs);
    let hard!: ReturnType<typeof setTimeout>;
    const abandoned = new Promise<End>((resolve) => {
      hard = setTimeout(() => {
        this.abort("abandoned");
        const seconds = Math.round(hardTimeoutMs / 1000);
        resolve({ kind: "end", reason: "failed", error: { code: "task_timeout", message: `The reply took longer than ${seconds} s and was stopped.`, retryable: true } });
      }, hardTimeoutMs);
    });
    const emit = (event: TaskEvent) => {
      if (settled) return;
      if (event.kind === "delta") this.publisher.delta(event.text);
      else if (event.kind === "end") end = event;
      else this.publisher.tool(event);
    };
    const ran = this.deps.executor
      .run(this.task, emit, { signal: this.controller.signal, model, firstRun })
      .then((): End => end ?? { kind: "end", reason: "failed", error: describeFailure(new Error("the task ended without a result")) })
      .catch((error): End => {
        this.deps.onError(error);
        // The thread running it died: like a crashed node, the task may run again from its checkpoint.
        return { kind: "end", reason: "failed", error: describeFailure(error), crashed: true };
      });
    try {
      return await Promise.race([ran, abandoned]);
    } finally {
      settled = true;
      clearTimeout(soft);
      clearTimeout(hard);
    }
  }

  private async chooseModel(): Promise<{ model: ModelTarget; permit?: { trial: boolean } } | { unavailable: WireError }> {
    const { breakers, hasFallback } = this.deps;
    const primary = await breakers.acquire(BREAKER_NAMES.primary);
    if (primary.allowed) return { model: "primary", permit: primary };
    let retryAfterMs = primary.retryAfterMs;
    if (hasFallback) {
      const fallback = await breakers.acquire(BREAKER_NAMES.fallback);
      if (fallback.allowed) return { model: "fallback", permit: fallback };
      retryAfterMs = Math.min(retryAfterMs, fallback.retryAfterMs);
    }
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return {
      unavailable: { code: "model_unavailable", message: `The model is unavailable right now. Please try again in ${seconds} s.`, retryable: true, retryAfterMs },
    };
  }

  private async recordOutcome(model: ModelTarget, trial: boolean, end: End): Promise<void> {
    const outcome = end.modelFailure ? (countsAsFailure(end.modelFailure.status) ? "failure" : "ignored") : end.reason === "completed" ? "success" : "ignored";
    await this.deps.breakers.record(BREAKER_NAMES[model], outcome, trial);
  }

  private async retry(): Promise<void> {
    const { queue, tasks, owner, retryBaseMs, onRetry } = this.deps;
    const delayMs = retryDelayMs(this.task.attempt, retryBaseMs);
    await this.publisher.flushed();
    await tasks.setState(this.task.taskId, "queued");
    if (await queue.retry(this.task.taskId, owner, delayMs)) onRetry(delayMs);
  }

  /** Ends the turn for good: one `message.end`, the task's final state, the queue entry removed. */
  private async conclude(end: End): Promise<void> {
    const { tasks, queue, owner } = this.deps;
    // What the client shows must match the history: a failed run's partial text is not kept, nor
    // is anything an earlier run (of a node that died) showed.
    if ((end.reason === "failed" && this.publisher.deltasShown > 0) || (this.task.attempt > 1 && !this.resetSent)) this.sendReset();
    this.publisher.end(end.reason, { usage: end.usage, error: end.error });
    if (end.redactions) this.deps.onRedactions?.(end.redactions, this.task);
    await this.publisher.flushed();
    const error = end.error ?? (end.reason === "timeout" ? { code: "task_timeout", message: "The reply was stopped: it ran out of time." } : null);
    // Finished first: a node that dies in between leaves a finished task leased, and the next lease
    // sees it finished and only acks it (acked first, recovery would queue it again).
    // Started together, the usage row and the final state share the app store's next commit.
    const usage = this.deps.recordUsage?.(this.task, end);
    await tasks.finish(this.task.taskId, STATE_FOR_REASON[end.reason], error ? { code: error.code, message: error.message } : null);
    await usage;
    await queue.ack(this.task.taskId, owner);
    this.deps.onTaskEnd?.(this.task, end, (performance.now() - this.startedAt) / 1000);
  }

  private sendReset(): void {
    this.resetSent = true;
    this.publisher.reset();
  }
}
