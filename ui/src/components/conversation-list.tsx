import type { AppState } from "../app-state.ts";
import { ConversationItem } from "./conversation-item.tsx";

/** The sidebar: new conversation, the list (newest first), and paging. */
export function ConversationList({ state }: { state: AppState }) {
  const { conversations } = state;
  const items = conversations.items.value;
  const selectedId = conversations.selectedId.value;
  const error = conversations.error.value;
  const loading = conversations.loading.value;
  const { agents } = state;
  const chosenDescription = agents.agents.value.find((agent) => agent.name === agents.chosen.value)?.description;

  return (
    <nav class="conversation-nav" aria-label="Conversation list">
      <button
        type="button"
        class="button button--primary button--wide"
        onClick={() => void state.newConversation()}
        data-testid="new-conversation"
      >
        New conversation
      </button>
      {agents.hasChoice() && (
        <label class="field agent-choice">
          <span class="field-label">Agent for new conversations</span>
          <select class="input" value={agents.chosen.value} onChange={(event) => (agents.chosen.value = event.currentTarget.value)} data-testid="agent-select">
            {agents.agents.value.map((agent) => (
              <option key={agent.name} value={agent.name} title={agent.description}>
                {agent.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {agents.hasChoice() && chosenDescription && (
        <p class="muted agent-description" data-testid="agent-description">
          {chosenDescription}
        </p>
      )}
      <button
        type="button"
        class={`button button--ghost button--wide nav-link${state.screen.value === "projects" ? " nav-link--current" : ""}`}
        aria-current={state.screen.value === "projects" ? "page" : undefined}
        onClick={state.showProjects}
        data-testid="projects-link"
      >
        Your projects
      </button>
      {error && (
        <p class="form-error" role="alert" data-testid="conversations-error">
          {error}
        </p>
      )}
      {items.length === 0 && !loading && !error && <p class="muted conversation-empty">No conversations yet.</p>}
      <ul class="conversation-list" data-testid="conversation-list">
        {items.map((conversation) => (
          <ConversationItem
            key={conversation.id}
            conversation={conversation}
            selected={conversation.id === selectedId}
            state={state}
          />
        ))}
      </ul>
      {conversations.nextCursor.value && (
        <button
          type="button"
          class="button button--ghost button--wide"
          disabled={loading}
          onClick={() => void conversations.loadMore()}
          data-testid="load-more-conversations"
        >
          {loading ? "Loading…" : "Load older"}
        </button>
      )}
    </nav>
  );
}
