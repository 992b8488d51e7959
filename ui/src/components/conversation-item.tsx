import type { TargetedKeyboardEvent, TargetedSubmitEvent } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Conversation } from "../../../src/protocol/index.ts";
import type { AppState } from "../app-state.ts";

interface ConversationItemProps {
  conversation: Conversation;
  selected: boolean;
  state: AppState;
}

/** One conversation: select it, rename it in place, or delete it after an inline confirmation. */
export function ConversationItem({ conversation, selected, state }: ConversationItemProps) {
  const { conversations } = state;
  const edit = conversations.editing.value;
  const mode = edit?.id === conversation.id ? edit.mode : null;
  const title = conversation.title.trim() || "Untitled";

  const selectRef = useRef<HTMLButtonElement>(null);
  const renameRef = useRef<HTMLInputElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const previousMode = useRef(mode);

  // Keyboard focus follows the mode: into the field or the safe choice, and back to the item after.
  useEffect(() => {
    if (mode === "rename") renameRef.current?.select();
    else if (mode === "delete") keepRef.current?.focus();
    else if (previousMode.current !== null) selectRef.current?.focus();
    previousMode.current = mode;
  }, [mode]);

  const stopEditing = () => (conversations.editing.value = null);

  function saveTitle(event: TargetedSubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = renameRef.current?.value ?? "";
    if (value.trim() === "" || value.trim() === conversation.title) stopEditing();
    else void conversations.rename(conversation.id, value);
  }

  function cancelOnEscape(event: TargetedKeyboardEvent<HTMLElement>) {
    if (event.key === "Escape") {
      event.stopPropagation();
      stopEditing();
    }
  }

  return (
    <li
      class={`conversation-item${selected ? " conversation-item--selected" : ""}`}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      data-selected={selected ? "true" : "false"}
    >
      {mode === "rename" ? (
        <form class="conversation-rename" onSubmit={saveTitle} onKeyDown={cancelOnEscape}>
          <label class="visually-hidden" for={`rename-${conversation.id}`}>
            New title
          </label>
          <input
            id={`rename-${conversation.id}`}
            ref={renameRef}
            class="input"
            defaultValue={conversation.title}
            maxLength={200}
            required
            data-testid="conversation-rename-input"
          />
          <button type="submit" class="button button--primary button--small" data-testid="conversation-rename-save">
            Save
          </button>
          <button type="button" class="button button--ghost button--small" onClick={stopEditing}>
            Cancel
          </button>
        </form>
      ) : mode === "delete" ? (
        <div class="conversation-confirm" role="group" aria-label={`Delete “${title}”?`} onKeyDown={cancelOnEscape}>
          <span class="conversation-confirm-text">Delete “{title}”?</span>
          <button
            type="button"
            class="button button--danger button--small"
            onClick={() => void state.deleteConversation(conversation.id)}
            data-testid="conversation-delete-confirm"
          >
            Delete
          </button>
          <button type="button" ref={keepRef} class="button button--ghost button--small" onClick={stopEditing} data-testid="conversation-delete-cancel">
            Keep
          </button>
        </div>
      ) : (
        <div class="conversation-row">
          <button
            type="button"
            ref={selectRef}
            class="conversation-select"
            aria-current={selected ? "page" : undefined}
            onClick={() => state.selectConversation(conversation.id)}
            data-testid="conversation-select"
          >
            {title}
          </button>
          <button
            type="button"
            class="icon-button icon-button--small"
            aria-label={`Rename “${title}”`}
            title="Rename"
            onClick={() => (conversations.editing.value = { id: conversation.id, mode: "rename" })}
            data-testid="conversation-rename"
          >
            <span aria-hidden="true">✎</span>
          </button>
          <button
            type="button"
            class="icon-button icon-button--small"
            aria-label={`Delete “${title}”`}
            title="Delete"
            onClick={() => (conversations.editing.value = { id: conversation.id, mode: "delete" })}
            data-testid="conversation-delete"
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      )}
    </li>
  );
}
