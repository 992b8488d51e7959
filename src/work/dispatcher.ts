import type { EventLog } from "../events/event-log.ts";
import type { UnsequencedEvent } from "../protocol/index.ts";
import { conversationChannel, type PubSub } from "../pubsub/pubsub.ts";
import type { QueuedTask, TaskQueue } from "../queue/queue.ts";
import type { TaskStore } from "../storage/app-store.ts";
import type { TaskState } from "../storage/types.ts";
import type { TaskExecutor } from "./executor.ts";
import { describeFailure } from "./run-task.ts";
import type { TaskEvent } from "./task-events.ts";

export interface DispatcherDeps {
  queue: TaskQueue;
  executor: TaskExecutor;
  tasks: TaskStore;
  events: EventLog;
  pubsub: PubSub;
  /** Most tasks in flight on this node. */
  concurrency: number;
  onError?: (error: unknown, task: QueuedTask) => void;
  /** Called once per task after its end was published and its state stored (metrics, usage, log). */
  onTaskEnd?: (task: QueuedTask, end: TaskEnd, seconds: number) => void;
}

export type TaskEnd = Extract<TaskEvent, { kind: "end" }>;

const STATE_FOR_REASON: Record<string, TaskState> = {
  completed: "succeeded",
  cancelled: "cancelled",
  timeout: "failed",
  failed: "failed",
};

/**
 * Moves tasks from the queue to the executor while this node has a free slot, and turns each
 * task's events into numbered conversation events on pub/sub. Every task it takes ends with
 * exactly one `message.end`, also when the executor fails.
 */
export class Dispatcher {
  private inFlight = 0;
  private stopped = false;
  private pumping = false;
  private unsubscribe?: () => void;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    this.unsubscribe = this.deps.queue.onAvailable(() => void this.pump());
    void this.pump();
  }

  /** Stops taking tasks; those in flight go on. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  get running(): number {
    return this.inFlight;
  }

  /** Resolves true once nothing is in flight, or false when `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => (clearTimeout(timer), resolve(true)));
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.stopped && this.inFlight < this.deps.concurrency) {
        const task = await this.deps.queue.take();
        if (!task) break;
        this.inFlight++;
        void this.execute(task);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async execute(task: QueuedTask): Promise<void> {
    const { executor, tasks, events, pubsub, queue } = this.deps;
    const channel = conversationChannel(task.conversationId);
    let delivery = Promise.resolve();
    let end: Extract<TaskEvent, { kind: "end" }> | undefined;
    // Events are numbered and published strictly in the order the task produced them.
    const publish = (event: UnsequencedEvent) => {
      delivery = delivery.then(async () => pubsub.publish(channel, await events.append(task.conversationId, event)));
    };
    const emit = (event: TaskEvent) => {
      if (end) return;
      if (event.kind === "delta") return publish({ type: "message.delta", messageId: task.messageId, text: event.text });
      end = event;
      publish({ type: "message.end", messageId: task.messageId, reason: event.reason, usage: event.usage, error: event.error });
    };
    const startedAt = performance.now();
    try {
      await tasks.setState(task.taskId, "running");
      await executor.run(task, emit);
    } catch (error) {
      this.deps.onError?.(error, task);
      emit({ kind: "end", reason: "failed", error: describeFailure(error) });
    }
    if (!end) emit({ kind: "end", reason: "failed", error: describeFailure(new Error("the task ended without a result")) });
    try {
      await delivery;
      await tasks.setState(task.taskId, STATE_FOR_REASON[end!.reason]!, end!.error?.message ?? null);
      await queue.ack(task.taskId);
      this.deps.onTaskEnd?.(task, end!, (performance.now() - startedAt) / 1000);
    } catch (error) {
      this.deps.onError?.(error, task);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      void this.pump();
    }
  }
}
