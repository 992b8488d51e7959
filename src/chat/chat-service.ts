import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { InputGuard } from "../guard/input/input-guard.ts";
import { blockedMessage } from "../guard/input/messages.ts";
import type { RecentBlocks } from "../guard/recent-blocks.ts";
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
  /** Inspects every message before it is accepted; none = every message passes. */
  guard?: InputGuard;
  /** Where blocked messages wait for a possible false-positive report. */
  blocks?: RecentBlocks;
}

/** Accepting user messages: checks, durable record, queueing. Idempotent per clientMessageId. */
export class ChatService {
  constructor(private readonly deps: ChatServiceDeps) {}

  /**
   * Accepts `message` into `conversation` (which the caller checked `userId` owns) and queues its
   * reply. A clientMessageId already accepted in this conversation is not queued again: the
   * original acceptance is returned. The input guard runs first: a blocked message throws AppError
   * `input_blocked` (details.category) and nothing is stored or queued; a sanitized one is accepted
   * with its sanitized text. Throws AppError `bad_request` or `model_not_configured` too.
   */
  async send(userId: string, conversation: ConversationRecord, message: MessageSend): Promise<MessageAccepted> {
    const length = codePointLength(message.content);
    const max = this.deps.limits.max_message_chars;
    if (length === 0 || message.content.trim() === "") throw new AppError("bad_request", "The message is empty.");
    if (length > max) {
      throw new AppError("bad_request", `The message is ${length} characters long; the limit is ${max}.`, { details: { max } });
    }
    const content = this.inspect(userId, conversation, message);
    const problem = this.deps.modelProblem();
    if (problem) throw new AppError("model_not_configured", problem);
    const { task, created } = await this.deps.tasks.createOrGet({
      id: Bun.randomUUIDv7(),
      conversationId: conversation.id,
      userId,
      clientMessageId: message.clientMessageId,
      userMessageId: Bun.randomUUIDv7(),
      messageId: Bun.randomUUIDv7(),
      content,
    });
    if (created) {
      await this.deps.queue.enqueue(toQueued(task, conversation.agent));
      await this.deps.conversations.touch(conversation.id);
    }
    return { type: "message.accepted", taskId: task.id, clientMessageId: task.clientMessageId, messageId: task.messageId };
  }

  /** The text to accept: the message's own, or its sanitized form; throws `input_blocked`. */
  private inspect(userId: string, conversation: ConversationRecord, message: MessageSend): string {
    if (!this.deps.guard) return message.content;
    const verdict = this.deps.guard.inspect(message.content);
    if (verdict.action === "allow") return message.content;
    if (verdict.action === "sanitize") return verdict.text;
    this.deps.blocks?.remember({
      userId,
      conversationId: conversation.id,
      clientMessageId: message.clientMessageId,
      text: message.content,
      verdict,
    });
    throw new AppError("input_blocked", blockedMessage(verdict.category), {
      details: { category: verdict.category ?? "unknown", clientMessageId: message.clientMessageId },
    });
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
