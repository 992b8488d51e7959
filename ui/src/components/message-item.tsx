import { useComputed } from "@preact/signals";
import { Markdown } from "../markdown/markdown-view.tsx";
import type { ChatModel, MessageView } from "../models/chat.ts";
import { ToolCall } from "./tool-call.tsx";

const speaker = { user: "You", assistant: "Assistant" } as const;

/** A reply's text as Markdown; only this part renders again as deltas arrive. */
function ReplyBody({ message }: { message: MessageView }) {
  return <Markdown text={message.content.value} streaming={message.state.value === "streaming"} />;
}

/** Under a message the input guard refused: "Blocked in error?" (a report for an admin) and Edit. */
function BlockedActions({ message, chat }: { message: MessageView; chat: ChatModel }) {
  const report = message.report.value;
  return (
    <div class="message-actions">
      {report === "reported" ? (
        <span class="message-reported" role="status" data-testid="guard-reported">
          Reported, thank you. An administrator will review it.
        </span>
      ) : (
        <button type="button" class="button button--ghost button--small" disabled={report === "sending"} onClick={() => chat.report(message)} data-testid="guard-report">
          {report === "sending" ? "Reporting…" : "Blocked in error?"}
        </button>
      )}
      <button type="button" class="button button--ghost button--small" onClick={() => chat.edit(message)} data-testid="edit-message">
        Edit
      </button>
    </div>
  );
}

/**
 * One message. The user's own text is a plain text node (shown as typed); a reply is rendered as
 * safe Markdown (see markdown/markdown-view.tsx): model output never becomes markup of its own.
 * A reply's tool calls follow its text (a status line, or a confirmation card).
 */
export function MessageItem({ message, chat }: { message: MessageView; chat: ChatModel }) {
  const state = message.state.value;
  const note = message.note.value;
  const tools = message.tools.value;
  const waiting = useComputed(() => message.state.value === "streaming" && message.content.value === "" && message.tools.value.length === 0);
  const blocked = message.errorCode.value === "input_blocked";
  const retryable = state === "failed" && !blocked && !chat.rateLimit.limited.value;

  return (
    <article
      class={`message message--${message.role} message--${state}`}
      data-testid="message"
      data-role={message.role}
      data-state={state}
      data-message-id={message.id}
    >
      <span class="visually-hidden">{speaker[message.role]}:</span>
      {message.role === "user" ? (
        <div class="message-body message-body--plain" data-testid="message-body">
          {message.content}
        </div>
      ) : (
        <div class="message-body" data-testid="message-body">
          <ReplyBody message={message} />
          {waiting.value && (
            <span class="message-waiting" aria-label="Waiting for the reply">
              <span class="typing-dot" />
              <span class="typing-dot" />
              <span class="typing-dot" />
            </span>
          )}
        </div>
      )}
      {tools.length > 0 && (
        <div class="message-tools" data-testid="message-tools">
          {tools.map((toolCallId) => (
            <ToolCall key={toolCallId} toolCallId={toolCallId} chat={chat} />
          ))}
        </div>
      )}
      {state === "pending" && <p class="message-meta">Sending…</p>}
      {note && (
        <div class={`message-note${state === "cancelled" ? " message-note--quiet" : ""}`} role={state === "failed" ? "alert" : undefined}>
          <span data-testid="message-note">{note}</span>
          {retryable && (
            <button type="button" class="button button--ghost button--small" onClick={() => chat.retryMessage(message)} data-testid="retry-button">
              Retry
            </button>
          )}
        </div>
      )}
      {blocked && state === "failed" && <BlockedActions message={message} chat={chat} />}
    </article>
  );
}
