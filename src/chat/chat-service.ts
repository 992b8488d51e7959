import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { ConversationHistory } from "../agents/history.ts";
import type { RateDecision } from "../limits/rate-limiter.ts";
import type { RateLimits } from "../limits/rate-limits.ts";
import type { InputGuard } from "../guard/input/input-guard.ts";
import { blockedMessage } from "../guard/input/messages.ts";
import type { RecentBlocks } from "../guard/recent-blocks.ts";
import type { SecurityLog } from "../security/security-log.ts";
import type { MessageAccepted, MessageSend, ToolApprove, ToolReject } from "../protocol/index.ts";
import type { QueuedTask, TaskQueue } from "../queue/queue.ts";
import type { ConversationStore, TaskStore } from "../storage/app-store.ts";
import type { ConversationRecord, TaskRecord } from "../storage/types.ts";
import { codePointLength } from "./frames.ts";

export interface ChatServiceDeps {
  tasks: TaskStore;
  conversations: ConversationStore;
  queue: TaskQueue;
  history: ConversationHistory;
  limits: Config["limits"];
  /** Why chat cannot run now (no model configured), or null. */
  modelProblem: () => string | null;
  /** Asks whichever node holds the task to cancel it (see work/task-control.ts). */
  cancelTask?: (taskId: string) => Promise<void>;
  /** A message sent while a reply runs in the same conversation: queue.double_texting. */
  doubleTexting?: Config["queue"]["double_texting"];
  /** Counts messages against `limits.messages_per_hour`; absent = no limit. */
  rateLimits?: RateLimits;
  /** The input guard of the conversation's agent; none = every message passes. */
  guardFor?: (agent: string) => InputGuard;
  /** Where blocked messages wait for a possible false-positive report. */
  blocks?: RecentBlocks;
  /** Records blocks in the security event log. */
  security?: SecurityLog;
}

/** Accepting user messages: checks, durable record, queueing. Idempotent per clientMessageId. */
export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  /**
   * Accepts `message` into `conversation` (which the caller checked `userId` owns) and queues its
   * reply. A clientMessageId already accepted in this conversation is not queued again: the
   * original acceptance is returned (and not counted again). The input guard runs first: a blocked
   * message throws AppError `input_blocked` (details.category) and nothing is stored or queued; a
   * sanitized one is accepted with its sanitized text. Throws AppError `bad_request`,
   * `model_not_configured`, `conversation_busy` or `rate_limited` (over `limits.messages_per_hour`).
   */
  async send(userId: string, conversation: ConversationRecord, message: MessageSend, ip?: string): Promise<MessageAccepted> {
    const length = codePointLength(message.content);
    const max = this.deps.limits.max_message_chars;
    if (length === 0 || message.content.trim() === "") throw new AppError("bad_request", "The message is empty.");
    if (length > max) {
      throw new AppError("bad_request", `The message is ${length} characters long; the limit is ${max}.`, { details: { max } });
    }
    const content = this.inspect(userId, conversation, message);
    const problem = this.deps.modelProblem();
    if (problem) throw new AppError("model_not_configured", problem);
    // Only the reject and interrupt policies look at the replies still running (enqueue just queues).
    const running = this.deps.doubleTexting === "enqueue" ? [] : await this.deps.tasks.listUnfinished(conversation.id);
    const repeat = await this.deps.tasks.findByClientMessageId(conversation.id, message.clientMessageId);
    if (this.deps.doubleTexting === "reject" && running.length > 0 && !repeat) {
      throw new AppError("conversation_busy", "A reply is still being written in this conversation. Wait for it to end, or cancel it.");
    }
    // A repeat of an accepted message is answered again without being counted.
    const limits = this.deps.rateLimits;
    const budget = repeat ? await limits?.messageBudget(userId) : await limits?.message(userId, { conversationId: conversation.id, ip });
    const task = await this.store(conversation, { userId, clientMessageId: message.clientMessageId, content, kind: "message" }, async () => {
      if (this.deps.doubleTexting === "interrupt") for (const earlier of running) await this.requestCancel(earlier.id);
    });
    return { ...accepted(task), ...(budget ? { rateLimit: toWireBudget(budget) } : {}) };
  }

  /**
   * Resumes a tool call paused for the member's confirmation, approved or rejected, as a new task
   * (idempotent per toolCallId: the clientMessageId is `tool:<toolCallId>`). Throws AppError
   * `bad_request` when no such confirmation is pending.
   */
  async decide(userId: string, conversation: ConversationRecord, decision: ToolApprove | ToolReject): Promise<MessageAccepted> {
    const clientMessageId = `tool:${decision.toolCallId}`;
    const earlier = await this.deps.tasks.findByClientMessageId(conversation.id, clientMessageId);
    if (earlier) return accepted(earlier);
    const pending = await this.deps.history.pendingConfirmation(conversation.id, decision.toolCallId);
    if (!pending) throw new AppError("bad_request", "Nothing is waiting for your confirmation under that toolCallId.");
    const resume = {
      interruptId: pending.interruptId,
      toolCallId: decision.toolCallId,
      approved: decision.type === "tool.approve",
      ...(decision.type === "tool.reject" && decision.reason ? { reason: decision.reason } : {}),
    };
    return accepted(await this.store(conversation, { userId, clientMessageId, content: JSON.stringify(resume), kind: "resume" }));
  }

  /**
   * Stores a task of `conversation` (or finds the one already stored under its clientMessageId) and,
   * when new, runs `beforeQueue` and queues it. The conversation moves to the top of its owner's
   * list in the same commit as the task (a repeat moves it too, harmlessly). Queueing comes last,
   * so nothing is awaited between the task becoming runnable and the caller sending
   * `message.accepted`: the queue wakes the dispatcher a turn of the event loop later.
   */
  private async store(
    conversation: ConversationRecord,
    input: { userId: string; clientMessageId: string; content: string; kind: TaskRecord["kind"] },
    beforeQueue?: () => Promise<void>,
  ): Promise<TaskRecord> {
    const [{ task, created }] = await Promise.all([
      this.deps.tasks.createOrGet({ id: Bun.randomUUIDv7(), conversationId: conversation.id, userMessageId: Bun.randomUUIDv7(), messageId: Bun.randomUUIDv7(), ...input }),
      this.deps.conversations.touch(conversation.id),
    ]);
    if (created) {
      await beforeQueue?.();
      await this.deps.queue.enqueue(toQueued(task, conversation.agent));
    }
    return task;
  }

  /** The text to accept: the message's own, or its sanitized form; throws `input_blocked`. */
  private inspect(userId: string, conversation: ConversationRecord, message: MessageSend): string {
    const guard = this.deps.guardFor?.(conversation.agent);
    if (!guard) return message.content;
    const verdict = guard.inspect(message.content);
    if (verdict.action === "allow") return message.content;
    if (verdict.action === "sanitize") return verdict.text;
    this.deps.blocks?.remember({
      userId,
      conversationId: conversation.id,
      clientMessageId: message.clientMessageId,
      text: message.content,
      verdict,
    });
    this.deps.security?.record({ kind: "input.blocked", userId, conversationId: conversation.id, ruleId: verdict.category ?? "unknown" });
    throw new AppError("input_blocked", blockedMessage(verdict.category), {
      details: { category: verdict.category ?? "unknown", clientMessageId: message.clientMessageId },
    });
  }

  /**
   * Cancels the reply of task `taskId` in `conversation` (which the caller checked `userId` owns):
   * its model request is aborted and the turn ends with reason cancelled. A reply that already
   * ended is left as it is. Throws AppError `not_found` for a task of another conversation.
   */
  async cancel(userId: string, conversation: ConversationRecord, taskId: string): Promise<void> {
    const task = await this.deps.tasks.findById(taskId);
    if (!task || task.conversationId !== conversation.id || task.userId !== userId) {
      throw new AppError("not_found", "There is no such reply in this conversation.");
    }
    if (task.state === "queued" || task.state === "running") await this.requestCancel(task.id);
  }

  /**
   * Queues again every task a previous process accepted and did not finish. Queueing is
   * idempotent, so a task still leased in a durable queue stays with its lease (the reaper gives
   * it back when that expires); a task lost with a memory queue runs again from its checkpoint.
   */
  async recover(agentOf: (conversationId: string) => Promise<string | null>): Promise<{ requeued: number; failed: number }> {
    let requeued = 0;
    let failed = 0;
    for (const task of await this.deps.tasks.listByState(["queued", "running"])) {
      const agent = await agentOf(task.conversationId);
      if (!agent) {
        await this.deps.tasks.finish(task.id, "failed", { code: "not_found", message: "The conversation was deleted." });
        failed++;
      } else if (await this.deps.queue.enqueue(toQueued(task, agent))) requeued++;
    }
    return { requeued, failed };
  }

  private async requestCancel(taskId: string): Promise<void> {
    await this.deps.tasks.requestCancel(taskId);
    await this.deps.cancelTask?.(taskId);
  }
}

function toWireBudget(budget: RateDecision) {
  return { limit: budget.limit, remaining: budget.remaining, resetAt: new Date(budget.resetAt).toISOString() };
}

function toQueued(task: TaskRecord, agent: string): QueuedTask {
  return {
    taskId: task.id,
    conversationId: task.conversationId,
    userId: task.userId,
    agent,
    userMessageId: task.userMessageId,
    messageId: task.messageId,
    content: task.kind === "resume" ? "" : task.content,
    ...(task.kind === "resume" ? { resume: JSON.parse(task.content) } : {}),
  };
}

const accepted = (task: TaskRecord): MessageAccepted => ({
  type: "message.accepted",
  taskId: task.id,
  clientMessageId: task.clientMessageId,
  messageId: task.messageId,
});
