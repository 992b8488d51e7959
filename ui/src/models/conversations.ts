import { batch, signal } from "@preact/signals";
import type { Conversation } from "../../../src/protocol/index.ts";
import type { Api } from "../api.ts";

type ConversationsApi = Pick<Api, "listConversations" | "createConversation" | "renameConversation" | "deleteConversation">;

/** The item being renamed or asked about deletion; at most one at a time. */
export interface ConversationEdit {
  id: string;
  mode: "rename" | "delete";
}

/** The sidebar's conversation list: paging, create, rename, delete and the selection. */
export function createConversationsModel(api: ConversationsApi) {
  const items = signal<Conversation[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  /** The last failed action, shown above the list. */
  const error = signal<string | null>(null);
  const selectedId = signal<string | null>(null);
  const editing = signal<ConversationEdit | null>(null);

  /** Runs `action`, recording a failure in `error`. */
  async function attempt<T>(action: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    error.value = null;
    try {
      return { ok: true, value: await action() };
    } catch (failure) {
      error.value = failure instanceof Error ? failure.message : String(failure);
      return { ok: false };
    }
  }

  /** Loads the first (newest) page, replacing the list. */
  async function load(): Promise<void> {
    loading.value = true;
    const result = await attempt(() => api.listConversations());
    loading.value = false;
    if (!result.ok) return;
    const page = result.value;
    batch(() => {
      items.value = page.conversations;
      nextCursor.value = page.nextCursor;
    });
  }

  async function loadMore(): Promise<void> {
    const cursor = nextCursor.peek();
    if (!cursor || loading.peek()) return;
    loading.value = true;
    const result = await attempt(() => api.listConversations(cursor));
    loading.value = false;
    if (!result.ok) return;
    const page = result.value;
    const known = new Set(items.peek().map((conversation) => conversation.id));
    batch(() => {
      items.value = [...items.peek(), ...page.conversations.filter((conversation) => !known.has(conversation.id))];
      nextCursor.value = page.nextCursor;
    });
  }

  /** Creates a conversation at the top of the list; undefined when the server refused. */
  async function create(agent?: string): Promise<Conversation | undefined> {
    const result = await attempt(() => api.createConversation(agent ? { agent } : {}));
    if (!result.ok) return undefined;
    const conversation = result.value;
    items.value = [conversation, ...items.peek().filter((item) => item.id !== conversation.id)];
    return conversation;
  }

  async function rename(id: string, title: string): Promise<boolean> {
    const trimmed = title.trim();
    if (!trimmed) return false;
    const result = await attempt(() => api.renameConversation(id, trimmed));
    if (!result.ok) return false;
    // The server answers with the conversation; an empty answer still means the new title stands.
    const updated = result.value as Conversation | undefined;
    items.value = items.peek().map((item) => (item.id === id ? { ...item, ...updated, title: updated?.title ?? trimmed } : item));
    editing.value = null;
    return true;
  }

  async function remove(id: string): Promise<boolean> {
    const result = await attempt(() => api.deleteConversation(id));
    if (!result.ok) return false;
    batch(() => {
      items.value = items.peek().filter((item) => item.id !== id);
      if (editing.peek()?.id === id) editing.value = null;
    });
    return true;
  }

  /** Moves a conversation to the top, as the server orders by last activity. */
  function bump(id: string): void {
    const list = items.peek();
    const index = list.findIndex((item) => item.id === id);
    if (index <= 0) return;
    items.value = [list[index]!, ...list.slice(0, index), ...list.slice(index + 1)];
  }

  function reset(): void {
    batch(() => {
      items.value = [];
      nextCursor.value = null;
      error.value = null;
      selectedId.value = null;
      editing.value = null;
    });
  }

  return { items, nextCursor, loading, error, selectedId, editing, load, loadMore, create, rename, remove, bump, reset };
}

export type ConversationsModel = ReturnType<typeof createConversationsModel>;
