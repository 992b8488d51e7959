import type { QueuedTask, TaskQueue } from "./queue.ts";

/** An in-memory queue for a single node; its tasks do not survive a restart (the task store re-enqueues them). */
export class MemoryTaskQueue implements TaskQueue {
  private readonly waiting: QueuedTask[] = [];
  /** taskId → conversationId of held tasks. */
  private readonly held = new Map<string, string>();
  private readonly busyConversations = new Set<string>();
  private readonly listeners = new Set<() => void>();

  async enqueue(task: QueuedTask): Promise<void> {
    this.waiting.push(task);
    this.notify();
  }

  async take(): Promise<QueuedTask | null> {
    const index = this.waiting.findIndex((task) => !this.busyConversations.has(task.conversationId));
    if (index < 0) return null;
    const [task] = this.waiting.splice(index, 1);
    this.held.set(task!.taskId, task!.conversationId);
    this.busyConversations.add(task!.conversationId);
    return task!;
  }

  async ack(taskId: string): Promise<void> {
    const conversationId = this.held.get(taskId);
    if (conversationId === undefined) return;
    this.held.delete(taskId);
    this.busyConversations.delete(conversationId);
    if (this.waiting.some((task) => task.conversationId === conversationId)) this.notify();
  }

  async depth(): Promise<number> {
    return this.waiting.length;
  }

  onAvailable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private notify(): void {
    for (const listener of this.listeners) queueMicrotask(listener);
  }
}
