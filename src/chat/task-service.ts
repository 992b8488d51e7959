import { AppError } from "../errors.ts";
import type { AdminTaskList, TaskStatus } from "../protocol/index.ts";
import type { TaskQueue } from "../queue/queue.ts";
import type { ConversationStore, TaskStore } from "../storage/app-store.ts";
import type { TaskRecord, TaskState } from "../storage/types.ts";

const notFound = () => new AppError("not_found", "There is no such task.");

const toStatus = (task: TaskRecord): TaskStatus => ({
  id: task.id,
  conversationId: task.conversationId,
  messageId: task.messageId,
  state: task.state,
  attempts: task.attempts,
  error: task.error === null ? null : { code: task.errorCode ?? "internal", message: task.error },
  createdAt: task.createdAt,
  startedAt: task.startedAt,
  finishedAt: task.finishedAt,
  updatedAt: task.updatedAt,
});

/** Tasks as their owner (status) and an admin (failed tasks, retry) see them. */
export class TaskService {
  constructor(private readonly deps: { tasks: TaskStore; queue: TaskQueue; conversations: ConversationStore }) {}

  /** The task if `userId` owns it; `not_found` otherwise (another user's task is reported as missing). */
  async status(userId: string, taskId: string): Promise<TaskStatus> {
    const task = await this.deps.tasks.findById(taskId);
    if (!task || task.userId !== userId) throw notFound();
    return toStatus(task);
  }

  /** Tasks in `state`, oldest first, at most `limit`. */
  async list(state: TaskState, limit: number): Promise<AdminTaskList> {
    const tasks = await this.deps.tasks.listByState([state], limit);
    return { tasks: tasks.map((task) => ({ ...toStatus(task), userId: task.userId, content: task.content })) };
  }

  /**
   * Runs a failed task again. Throws `not_found`, or `conflict` when it did not fail or its
   * conversation has moved on (a newer message would be answered out of order).
   */
  async retry(taskId: string): Promise<TaskStatus> {
    const task = await this.deps.tasks.findById(taskId);
    if (!task) throw notFound();
    if (task.state !== "failed") throw new AppError("conflict", `Only a failed task can be retried; this one is ${task.state}.`);
    const latest = await this.deps.tasks.latest(task.conversationId);
    if (latest?.id !== task.id) throw new AppError("conflict", "The conversation has newer messages; retrying this one would answer out of order.");
    const conversation = await this.deps.conversations.findById(task.conversationId);
    if (!conversation) throw notFound();
    await this.deps.tasks.requeue(task.id);
    await this.deps.queue.enqueue({
      taskId: task.id,
      conversationId: task.conversationId,
      userId: task.userId,
      agent: conversation.agent,
      userMessageId: task.userMessageId,
      messageId: task.messageId,
      content: task.content,
    });
    return toStatus((await this.deps.tasks.findById(task.id))!);
  }
}
