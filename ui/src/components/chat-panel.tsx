import type { AppState } from "../app-state.ts";
import { offlineNote } from "../connection-status.ts";
import { DEFAULT_AGENT } from "../models/agents.ts";
import { Composer } from "./composer.tsx";
import { MessageList } from "./message-list.tsx";
import { StatusBadge } from "./status-badge.tsx";

/** The open conversation: header with the connection badge, messages, composer. */
export function ChatPanel({ state }: { state: AppState }) {
  const { chat, conversations } = state;
  const id = chat.conversationId.value;
  const phase = chat.phase.value;

  if (id === null) {
    return (
      <section class="chat-empty" aria-label="No conversation open">
        <p class="muted">Pick a conversation, or start a new one.</p>
        <button type="button" class="button button--primary" onClick={() => void state.newConversation()}>
          New conversation
        </button>
      </section>
    );
  }
  if (phase === "not-found") {
    return (
      <section class="chat-empty" role="alert" data-testid="chat-not-found">
        <p>Conversation not found. It may have been deleted.</p>
      </section>
    );
  }
  if (phase === "error") {
    return (
      <section class="chat-empty" role="alert" data-testid="chat-load-error">
        <p>Could not load this conversation. {chat.loadError.value}</p>
        <button type="button" class="button button--primary" onClick={chat.retry}>
          Try again
        </button>
      </section>
    );
  }

  const conversation = conversations.items.value.find((item) => item.id === id);
  const title = conversation?.title.trim() || "Conversation";
  const status = chat.status.value;
  return (
    <section class="chat" aria-label={title}>
      <header class="chat-header">
        <h2 class="chat-title">{title}</h2>
        {conversation && conversation.agent !== DEFAULT_AGENT && (
          <span class="badge badge--quiet" data-testid="conversation-agent">
            {conversation.agent}
          </span>
        )}
        <StatusBadge status={status} />
        {offlineNote(status) && (
          <button type="button" class="button button--ghost button--small" onClick={chat.reconnectNow} data-testid="reconnect-button">
            Reconnect now
          </button>
        )}
      </header>
      {offlineNote(status) && (
        <p class="connection-note" role="status" data-testid="connection-note">
          {offlineNote(status)}
        </p>
      )}
      {phase === "loading" ? (
        <div class="message-list message-list--loading" role="status">
          Loading messages…
        </div>
      ) : (
        <MessageList chat={chat} onExample={(prompt) => (chat.status.peek().state === "live" ? chat.send(prompt) : (chat.draft.value = prompt))} />
      )}
      <Composer chat={chat} />
    </section>
  );
}
