import { useComputed } from "@preact/signals";
import type { MessageView } from "../models/chat.ts";

const speaker = { user: "You", assistant: "Assistant" } as const;

/**
 * One message. The text is a Preact text node bound to the `content` signal: each delta updates it
 * in place, and model output can never become markup.
 */
export function MessageItem({ message }: { message: MessageView }) {
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
      <div class="message-body" data-testid="message-body">
        {message.content}
        {waiting.value && (
          <span class="message-waiting" aria-hidden="true">
            …
          </span>
        )}
      </div>
      {state === "pending" && <p class="message-meta">Sending…</p>}
      {note && (
        <p class="message-note" role={state === "failed" ? "alert" : undefined} data-testid="message-note">
          {note}
        </p>
      )}
    </article>
  );
}
