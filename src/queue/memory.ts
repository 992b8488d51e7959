import type { LeasedTask, QueuedTask, TaskQueue, TaskQueueOptions } from "./queue.ts";

interface Entry {
  task: QueuedTask;
  position: number;
  dueAt: number;
  attempts: number;
  owner?: string;
  leaseUntil?: number;
}

/** A queue in this process's memory: leases work as in the durable ones, but nothing survives a restart. */
export class MemoryTaskQueue implements TaskQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = 1;

  constructor(private readonly options: TaskQueueOptions) {}

  async enqueue(task: QueuedTask, options: { delayMs?: number } = {}): Promise<boolean> {
    if (this.entries.has(task.taskId)) return false;
    this.entries.set(task.taskId, { task, position: this.nextPosition++, dueAt: this.now() + (options.delayMs ?? 0), attempts: 0 });
    this.notify();
    return true;
  }

  async take(owner: string): Promise<LeasedTask | null> {
    const now = this.now();
    const heads = new Map<string, Entry>();
    for (const entry of this.entries.values()) {
      const head = heads.get(entry.task.conversationId);
      if (!head || entry.position < head.position) heads.set(entry.task.conversationId, entry);
    }
    const due = [...heads.values()].filter((entry) => entry.owner === undefined && entry.dueAt <= now);
    const next = due.sort((a, b) => a.position - b.position)[0];
    if (!next) return null;
    next.owner = owner;
    next.leaseUntil = now + this.options.leaseMs;
    next.attempts++;
    return { ...next.task, attempt: next.attempts };
  }

  async renew(owner: string, taskIds: readonly string[]): Promise<string[]> {
    const lost: string[] = [];
    for (const taskId of taskIds) {
      const entry = this.entries.get(taskId);
      if (entry?.owner === owner) entry.leaseUntil = this.now() + this.options.leaseMs;
      else lost.push(taskId);
    }
    return lost;
  }

  async ack(taskId: string, owner: string): Promise<boolean> {
    const entry = this.entries.get(taskId);
    if (entry?.owner !== owner) return false;
    this.entries.delete(taskId);
    this.notify();
    return true;
  }

  async retry(taskId: string, owner: string, delayMs: number): Promise<boolean> {
    const entry = this.entries.get(taskId);
    if (entry?.owner !== owner) return false;
    entry.owner = entry.leaseUntil = undefined;
    entry.dueAt = this.now() + delayMs;
    this.notify();
    return true;
  }

  async remove(taskId: string): Promise<boolean> {
    const entry = this.entries.get(taskId);
    if (!entry || entry.owner !== undefined) return false;
    this.entries.delete(taskId);
    this.notify();
    return true;
  }

  async reap(): Promise<number> {
    const now = this.now();
    let reaped = 0;
    for (const entry of this.entries.values()) {
      if (entry.owner !== undefined && entry.leaseUntil! <= now) {
        entry.owner = entry.leaseUntil = undefined;
        reaped++;
      }
    }
    if (reaped) this.notify();
    return reaped;
  }

  async depth(): Promise<number> {
    return [...this.entries.values()].filter((entry) => entry.owner === undefined).length;
  }

  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private now(): number {
    return this.options.clock.now();
  }

  private notify(): void {
    for (const listener of this.listeners) setImmediate(listener);
  }
}
