import type { Config } from "../config/schema.ts";
import { toAppError } from "../errors.ts";
import { openProviderGate, type ProviderGate } from "../limits/provider-gate.ts";
import type { Observation } from "../metrics/recorder.ts";
import type { QueuedTask } from "../queue/queue.ts";
import type { TaskExecutor } from "./executor.ts";
import type { EmitTaskEvent, RunOptions } from "./task-events.ts";
import { SlicedRunner } from "./sliced-runner.ts";
import type { FromWorker, ToWorker, WorkerReport } from "./thread-messages.ts";

interface Pending {
  emit: EmitTaskEvent;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  /** By run id: a task run again (a lost lease taken back) never gets the earlier run's reports. */
  running: Map<number, Pending>;
}

/**
 * Runs tasks on a fixed set of Bun Worker threads, each task on the least busy thread, so agent
 * work never competes with the socket thread. A thread that dies fails its running tasks (the
 * caller ends their turns) and is replaced.
 */
export class WorkerPoolExecutor implements TaskExecutor {
  private readonly slots: Slot[] = [];
  private closed = false;
  private nextRunId = 0;
  /** Reports of every thread, handled in order a few at a time, so sockets are read in between. */
  private readonly reports: SlicedRunner;

  constructor(
    private readonly spawn: () => Worker,
    private readonly config: Config,
    size: number,
    /** The node's provider call cap, which worker threads ask before each model request. */
    private readonly providerGate: ProviderGate = openProviderGate,
    /** Receives the metrics each thread recorded (applied to the main thread's registry). */
    private readonly onMetrics: (observations: Observation[]) => void = () => {},
    /** A report whose handling threw (logged: the node goes on serving the others). */
    onError: (error: unknown) => void = (error) => console.error("a worker thread's report could not be handled", error),
  ) {
    this.reports = new SlicedRunner(onError);
    for (let i = 0; i < size; i++) this.slots.push(this.startSlot());
  }

  /** Resolves when every thread has built its runtime; rejects with the first thread's failure. */
  ready(): Promise<void> {
    return Promise.all(this.slots.map((slot) => slot.ready)).then(() => undefined);
  }

  async run(task: QueuedTask, emit: EmitTaskEvent, options: RunOptions = {}): Promise<void> {
    if (this.closed) throw new Error("worker pool is closed");
    const slot = this.slots.reduce((best, candidate) => (candidate.running.size < best.running.size ? candidate : best));
    await slot.ready;
    const { signal } = options;
    const runId = this.nextRunId++;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.post(slot, { type: "abort", runId, reason: signal!.reason });
        // The caller has moved on: forget the run, so its late events go nowhere.
        if (signal!.reason === "abandoned" && slot.running.delete(runId)) resolve();
      };
      const settle = <T>(finish: (value: T) => void) => (value: T) => {
        signal?.removeEventListener("abort", onAbort);
        finish(value);
      };
      slot.running.set(runId, { emit, resolve: settle(resolve), reject: settle(reject) });
      this.post(slot, { type: "run", runId, task, model: options.model, firstRun: options.firstRun });
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) {
      this.failAll(slot, new Error("worker pool closed"));
      slot.worker.terminate();
    }
  }

  private startSlot(): Slot {
    const worker = this.spawn();
    const running = new Map<number, Pending>();
    let markReady!: () => void;
    let markFailed!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));
    const slot: Slot = { worker, ready, running };
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      for (const message of event.data.messages) {
        // A reply's first words skip the queue: nothing of their run can be queued before them.
        if (message.type === "event" && message.first) this.reports.runNow(() => handle(message));
        else this.reports.push(() => handle(message));
      }
    };
    const handle = (message: WorkerReport) => {
      if (message.type === "ready") return markReady();
      if (message.type === "init-failed") return markFailed(new Error(`worker thread failed to start: ${message.message}`));
      if (message.type === "provider-permit") {
        const answer = (error?: unknown) => {
          const e = error === undefined ? undefined : toAppError(error);
          this.post(slot, { type: "provider-permit", requestId: message.requestId, ...(e ? { error: { code: e.code, message: e.message, retryAfterMs: e.retryAfterMs } } : {}) });
        };
        return void this.providerGate().then(() => answer(), answer);
      }
      if (message.type === "metrics") return this.onMetrics(message.observations);
      const pending = running.get(message.runId);
      if (!pending) return;
      pending.emit(message.event);
      if (message.event.kind === "end") {
        running.delete(message.runId);
        pending.resolve();
      }
    };
    worker.onerror = (event) => this.replace(slot, new Error(`worker thread crashed: ${event.message}`));
    worker.addEventListener("close", () => this.replace(slot, new Error("worker thread exited")));
    this.post(slot, { type: "init", config: this.config });
    return slot;
  }

  private replace(slot: Slot, error: Error): void {
    this.failAll(slot, error);
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    slot.worker.terminate();
    this.slots[index] = this.startSlot();
  }

  private failAll(slot: Slot, error: Error): void {
    for (const pending of slot.running.values()) pending.reject(error);
    slot.running.clear();
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }
}
