import { useComputed } from "@preact/signals";
import { Markdown } from "../markdown/markdown-view.tsx";
import type { MessageView } from "../models/chat.ts";

const speaker = { user: "You", assistant: "Assistant" } as const;

/** A reply's text as Markdown; only this part renders again as deltas arrive. */
function ReplyBody({ message }: { message: MessageView }) {
  return <Markdown text={message.content.value} streaming={message.state.value === "streaming"} />;
}

/**
 * One message. The user's own text is a plain text node (shown as typed); a reply is rendered as
 * safe Markdown (see markdown/markdown-view.tsx): model output never becomes markup of its own.
 */
export function MessageItem({ message, onRetry }: { message: MessageView; onRetry?: (message: MessageView) => void }) {
  const state = message.state.value;
  const note = message.note.value;
  const waiting = useComputed(() => message.state.value === "streaming" && message.content.value === "");

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
      {state === "pending" && <p class="message-meta">Sending…</p>}
      {note && (
        <div class="message-note" role={state === "failed" ? "alert" : undefined}>
          <span data-testid="message-note">{note}</span>
          {state === "failed" && onRetry && (
            <button type="button" class="button button--ghost button--small" onClick={() => onRetry(message)} data-testid="retry-button">
              Retry
            </button>
          )}
        </div>
      )}
    </article>
  );
}
