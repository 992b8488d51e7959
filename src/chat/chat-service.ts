import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { RateDecision } from "../limits/rate-limiter.ts";
import type { RateLimits } from "../limits/rate-limits.ts";
import type { MessageAccepted, MessageSend } from "../protocol/index.ts";
import type { TaskQueue } from "../queue/queue.ts";
import type { ConversationStore, TaskStore } from "../storage/app-store.ts";
import type { ConversationRecord, TaskRecord } from "../storage/types.ts";
import { codePointLength } from "./frames.ts";

export interface ChatServiceDeps {
  tasks: TaskStore;
  conversations: ConversationStore;
  queue: TaskQueue;
  limits: Config["limits"];
  /** Why chat cannot run now (no model configured), or null. */
  modelProblem: () => string | null;
  /** Counts messages against `limits.messages_per_hour`; absent = no limit. */
  rateLimits?: RateLimits;
}

/** Accepting user messages: checks, durable record, queueing. Idempotent per clientMessageId. */
export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  /**
   * Accepts `message` into `conversation` (which the caller checked `userId` owns) and queues its
   * reply. A clientMessageId already accepted in this conversation is not queued again: the
   * original acceptance is returned (and not counted again). Throws AppError `bad_request`,
   * `model_not_configured` or `rate_limited` (over `limits.messages_per_hour`).
   */
  async send(userId: string, conversation: ConversationRecord, message: MessageSend, ip?: string): Promise<MessageAccepted> {
    const length = codePointLength(message.content);
    const max = this.deps.limits.max_message_chars;
    if (length === 0 || message.content.trim() === "") throw new AppError("bad_request", "The message is empty.");
    if (length > max) {
      throw new AppError("bad_request", `The message is ${length} characters long; the limit is ${max}.`, { details: { max } });
    }
    const problem = this.deps.modelProblem();
    if (problem) throw new AppError("model_not_configured", problem);
    const limits = this.deps.rateLimits;
    const repeat = limits && (await this.deps.tasks.findByClientMessageId(conversation.id, message.clientMessageId));
    const budget = repeat
      ? await limits.messageBudget(userId)
      : await limits?.message(userId, { conversationId: conversation.id, ip });
    const { task, created } = await this.deps.tasks.createOrGet({
      id: Bun.randomUUIDv7(),
      conversationId: conversation.id,
      userId,
      clientMessageId: message.clientMessageId,
      userMessageId: Bun.randomUUIDv7(),
      messageId: Bun.randomUUIDv7(),
      content: message.content,
    });
    if (created) {
      await this.deps.queue.enqueue(toQueued(task, conversation.agent));
      await this.deps.conversations.touch(conversation.id);
    }
    return {
      type: "message.accepted",
      taskId: task.id,
      clientMessageId: task.clientMessageId,
      messageId: task.messageId,
      ...(budget ? { rateLimit: toWireBudget(budget) } : {}),
    };
  }

  /**
   * Queues again the tasks a previous process accepted but never started. Tasks that were running
   * when it stopped are marked failed: re-running them safely needs the durable queue.
   */
  async recover(agentOf: (conversationId: string) => Promise<string | null>): Promise<{ requeued: number; failed: number }> {
    let requeued = 0;
    let failed = 0;
    for (const task of await this.deps.tasks.listByState(["queued", "running"])) {
      const agent = await agentOf(task.conversationId);
      if (task.state === "queued" && agent) {
        await this.deps.queue.enqueue(toQueued(task, agent));
        requeued++;
      } else {
        await this.deps.tasks.setState(task.id, "failed", "The server stopped while this reply was being generated.");
        failed++;
      }
    }
    return { requeued, failed };
  }
}

function toWireBudget(budget: RateDecision) {
  return { limit: budget.limit, remaining: budget.remaining, resetAt: new Date(budget.resetAt).toISOString() };
}

function toQueued(task: TaskRecord, agent: string) {
  return {
    taskId: task.id,
    conversationId: task.conversationId,
    userId: task.userId,
    agent,
    userMessageId: task.userMessageId,
    messageId: task.messageId,
    content: task.content,
  };
}
