import { batch, type Signal } from "@preact/signals";
import type { ErrorEvent, MessageEnd } from "../../../src/protocol/index.ts";
import type { ChatClient } from "../chat-client.ts";
import type { MessageStore, MessageView } from "./message-store.ts";
import type { RateLimitModel } from "./rate-limit.ts";
import { toolCallIdOfDecision, type ToolCalls } from "./tool-calls.ts";

/** What the conversation's events are applied to. */
export interface ChatEventTarget {
  store: MessageStore;
  tools: ToolCalls;
  rateLimit: RateLimitModel;
  /** A refusal that belongs to no message, shown above the composer. */
  notice: Signal<string | null>;
  /**
   * Replies whose events this page has applied since the socket last replayed from a reply's start
   * (the first socket after loading the history, or a `session.reset`). The first event of any
   * other reply starts it over, so text is never shown twice.
   */
  rebuilt: Set<string>;
  /** Task ids of replies still running when the history was loaded (messageId → taskId), for Stop. */
  activeTasks?: Map<string, string>;
  /** A message of ours was accepted. */
  onActivity(): void;
  /** A tool call ended (e.g. a project was created: the projects list is stale). */
  onToolEnd?(name: string, ok: boolean): void;
}

const endNotes: Record<Exclude<MessageEnd["reason"], "completed">, string> = {
  cancelled: "Stopped.",
  timeout: "The reply took too long and was stopped.",
  failed: "The reply failed.",
};

/** An error as a sentence, with the wait when the server gave one. */
export function describeError(error: Pick<ErrorEvent, "code" | "message" | "retryAfterMs">): string {
  if (error.retryAfterMs === undefined || error.code === "rate_limited") return error.message;
  return `${error.message} (try again in ${Math.ceil(error.retryAfterMs / 1000)} s)`;
}

/** Attaches tool call `toolCallId` to `message` unless a held message shows it already. */
export function attachTool(store: MessageStore, message: MessageView, toolCallId: string): void {
  if (store.messages.peek().some((held) => held.tools.peek().includes(toolCallId))) return;
  message.tools.value = [...message.tools.peek(), toolCallId];
}

/** Applies `client`'s events to the target: the reply text, its ending, tool calls, refusals and reports. */
export function applyChatEvents(client: ChatClient, target: ChatEventTarget): void {
  const { store, tools, rateLimit, notice, rebuilt } = target;

  /** The reply `messageId`, created when new; its first event since a replay from the start clears it. */
  function reply(messageId: string): MessageView {
    const existing = store.get(messageId);
    const message = existing ?? store.append(store.view(messageId, "assistant", "", "streaming"));
    message.taskId ??= target.activeTasks?.get(messageId);
    if (!rebuilt.has(messageId)) {
      rebuilt.add(messageId);
      if (existing) {
        batch(() => {
          message.content.value = "";
          message.tools.value = [];
          message.note.value = null;
          message.state.value = "streaming";
        });
      }
    }
    return message;
  }

  client.on("accepted", (accepted) => {
    batch(() => {
      const decision = toolCallIdOfDecision(accepted.clientMessageId);
      if (decision) tools.acknowledged(decision);
      const mine = store.get(accepted.clientMessageId);
      if (mine) mine.replyId = accepted.messageId;
      if (mine && mine.state.peek() !== "sent") {
        mine.state.value = "sent";
        mine.note.value = null;
        mine.errorCode.value = null;
      }
      // Not `reply()`: a repeated acceptance must not start over a reply already shown.
      const existing = store.get(accepted.messageId);
      if (!existing) rebuilt.add(accepted.messageId);
      (existing ?? store.append(store.view(accepted.messageId, "assistant", "", "streaming"))).taskId = accepted.taskId;
      rateLimit.noteBudget(accepted.rateLimit);
    });
    target.onActivity();
  });

  client.on("delta", (delta) => {
    batch(() => {
      const message = reply(delta.messageId);
      message.content.value += delta.text;
      if (message.state.peek() !== "streaming") message.state.value = "streaming";
    });
  });

  client.on("messageReset", (reset) => {
    batch(() => {
      const message = reply(reset.messageId);
      message.content.value = "";
      message.note.value = null;
      message.state.value = "streaming";
    });
  });

  client.on("end", (end) => {
    batch(() => {
      const message = reply(end.messageId);
      if (end.reason === "completed") {
        message.state.value = "done";
        return;
      }
      message.state.value = end.reason === "cancelled" ? "cancelled" : "failed";
      message.note.value = end.error ? describeError(end.error) : endNotes[end.reason];
    });
  });

  client.on("tool", (event) => {
    batch(() => {
      const message = reply(event.messageId);
      tools.apply(event);
      attachTool(store, message, event.toolCallId);
    });
    if (event.type === "tool.end") target.onToolEnd?.(event.name, event.ok);
  });

  client.on("error", (error) => {
    if (error.code === "rate_limited" && error.retryAfterMs !== undefined) rateLimit.limit(error.retryAfterMs);
    const decision = toolCallIdOfDecision(error.clientMessageId);
    if (decision) return tools.refused(decision, error.message);
    const mine = error.clientMessageId === undefined ? undefined : store.get(error.clientMessageId);
    if (!mine) {
      notice.value = describeError(error);
      return;
    }
    if (mine.report.peek() === "sending") {
      mine.report.value = "failed";
      notice.value = `Could not report it: ${error.message}`;
      return;
    }
    batch(() => {
      mine.state.value = "failed";
      mine.note.value = describeError(error);
      mine.errorCode.value = error.code;
    });
  });

  client.on("reported", (reported) => {
    const mine = store.get(reported.clientMessageId);
    if (mine) mine.report.value = "reported";
  });
}
