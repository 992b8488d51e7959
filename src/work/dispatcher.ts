import type { CircuitBreakers } from "../breaker/breaker.ts";
import type { Clock } from "../clock.ts";
import type { EventLog } from "../events/event-log.ts";
import type { PubSub, Unsubscribe } from "../pubsub/pubsub.ts";
import type { QueuedTask, TaskQueue } from "../queue/queue.ts";
import type { TaskStore } from "../storage/app-store.ts";
import { Attempt, type AttemptDeps } from "./attempt.ts";
import type { TaskExecutor } from "./executor.ts";
import { TokenBucket } from "./rate-limit.ts";
import { TASK_CONTROL_CHANNEL, type TaskControlMessage } from "./task-control.ts";
import type { TaskEvent } from "./task-events.ts";
import { TurnPublisher } from "./turn-publisher.ts";

export interface DispatcherDeps {
  queue: TaskQueue;
  executor: TaskExecutor;
  tasks: TaskStore;
  events: EventLog;
  pubsub: PubSub;
  breakers: CircuitBreakers;
  clock: Clock;
  /** This node's name on its leases (unique per process). */
  owner: string;
  /** Most tasks in flight on this node. */
  concurrency: number;
  /** Most tasks started per minute on this node. */
  tasksPerMinute: number;
  heartbeatMs: number;
  reaperMs: number;
  maxRetries: number;
  retryBaseMs: number;
  softTimeoutMs: number;
  hardTimeoutMs: number;
  hasFallback: boolean;
  onError?: (error: unknown) => void;
  /** A reply ended with secrets redacted by the output guard (counts per kind; never the secrets). */
  onRedactions?: (redactions: Record<string, number>, task: { taskId: string; conversationId: string; userId: string }) => void;
  /** A task runs again (a retry after a failure, or a re-run after its node or thread died). */
  onRerun?: () => void;
  /** Called once per task after its end was published and its state stored (metrics, log). */
  onTaskEnd?: (task: QueuedTask, end: TaskEnd, seconds: number) => void;
  /** Stores an ended task's token usage, beside its final state (one commit on SQLite); never rejects. */
  recordUsage?: (task: QueuedTask, end: TaskEnd) => Promise<void>;
}

export type TaskEnd = Extract<TaskEvent, { kind: "end" }>;

const CONTROL_RETRY_MS = 2_000;

/**
 * Moves tasks from the queue to the executor while this node has a free slot and rate to spare,
 * keeps their leases alive (heartbeat), gives back leases of dead nodes (reaper), and carries out
 * cancel requests. Each task's run is an `Attempt`.
 */
export class Dispatcher {
  private readonly running = new Map<string, Attempt>();
  private readonly bucket: TokenBucket;
  private readonly attemptDeps: AttemptDeps;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private stopped = false;
  private pumping = false;
  private again = false;
  private unsubscribe?: () => void;
  private unsubscribeControl?: Unsubscribe;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: DispatcherDeps) {
    this.bucket = new TokenBucket(deps.tasksPerMinute, deps.clock);
    const onError = deps.onError ?? (() => undefined);
    this.attemptDeps = { ...deps, onError, onRetry: (delayMs) => this.later(delayMs) };
  }

  async start(): Promise<void> {
    this.unsubscribe = this.deps.queue.onAvailable(() => void this.pump());
    await this.subscribeControl();
    this.timers.push(setInterval(() => void this.heartbeat(), this.deps.heartbeatMs));
    this.timers.push(setInterval(() => void this.reap(), this.deps.reaperMs));
    void this.pump();
  }

  /**
   * Listens for cancel requests. When pub/sub is down (Redis unreachable at start), the node still
   * runs tasks and keeps trying in the background; cancels from other nodes wait until it succeeds.
   */
  private async subscribeControl(): Promise<void> {
    try {
      this.unsubscribeControl = await this.deps.pubsub.subscribe(TASK_CONTROL_CHANNEL, (message) => void this.control(message as TaskControlMessage));
    } catch (error) {
      this.attemptDeps.onError(error);
      if (this.stopped) return;
      const retry = setTimeout(() => void this.subscribeControl(), CONTROL_RETRY_MS);
      retry.unref?.();
      this.timers.push(retry as unknown as ReturnType<typeof setInterval>);
    }
  }

  /** Stops taking tasks; those in flight go on. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  /** Tasks in flight on this node. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Resolves true once nothing is in flight, or false when `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => (clearTimeout(timer), resolve(true)));
    });
  }

  /**
   * Hands the tasks still running back to the queue, due at once, and stops the heartbeat: the
   * next node (or this one restarted) runs them again from their last checkpoint.
   */
  async release(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.unsubscribeControl?.();
    for (const attempt of this.running.values()) {
      attempt.abort("lease-lost");
      await this.deps.queue.retry(attempt.task.taskId, this.deps.owner, 0).catch(this.attemptDeps.onError);
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return void (this.again = true);
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && this.running.size < this.deps.concurrency) {
          const wait = this.bucket.waitMs();
          if (wait > 0) {
            this.later(wait);
            break;
          }
          const task = await this.deps.queue.take(this.deps.owner);
          if (!task) break;
          this.bucket.take();
          const attempt = new Attempt(this.attemptDeps, task);
          this.running.set(task.taskId, attempt);
          void this.execute(attempt);
        }
      } while (this.again && !this.stopped);
    } catch (error) {
      this.attemptDeps.onError(error);
    } finally {
      this.pumping = false;
    }
  }

  private async execute(attempt: Attempt): Promise<void> {
    try {
      await attempt.run();
    } catch (error) {
      this.attemptDeps.onError(error);
    } finally {
      this.running.delete(attempt.task.taskId);
      if (this.running.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      void this.pump();
    }
  }

  private later(delayMs: number): void {
    const timer = setTimeout(() => void this.pump(), delayMs + 1);
    timer.unref?.();
  }

  private async heartbeat(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      const lost = await this.deps.queue.renew(this.deps.owner, [...this.running.keys()]);
      for (const taskId of lost) this.running.get(taskId)?.abort("lease-lost");
    } catch (error) {
      this.attemptDeps.onError(error);
    }
  }

  private async reap(): Promise<void> {
    try {
      if ((await this.deps.queue.reap()) > 0) void this.pump();
    } catch (error) {
      this.attemptDeps.onError(error);
    }
  }

  /** A cancel request: abort the run here, or end the task if it is still waiting in the queue. */
  private async control(message: TaskControlMessage): Promise<void> {
    if (message?.type !== "cancel") return;
    const attempt = this.running.get(message.taskId);
    if (attempt) return attempt.abort("cancelled");
    try {
      if (!(await this.deps.queue.remove(message.taskId))) return;
      const record = await this.deps.tasks.findById(message.taskId);
      if (!record) return;
      const publisher = new TurnPublisher(this.deps.events, this.deps.pubsub, record, this.attemptDeps.onError);
      // An earlier run (before a retry) may have shown text that the history does not hold.
      if (record.attempts > 0) publisher.reset();
      publisher.end("cancelled");
      await publisher.flushed();
      await this.deps.tasks.finish(record.id, "cancelled");
    } catch (error) {
      this.attemptDeps.onError(error);
    }
  }
}
