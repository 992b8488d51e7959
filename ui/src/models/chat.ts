import { batch, signal } from "@preact/signals";
import type { ChatMessage, ErrorEvent, MessageEnd } from "../../../src/protocol/index.ts";
import { ApiError, type Api } from "../api.ts";
import { SendRefusedError, type ChatClient, type ConnectionStatus } from "../chat-client.ts";
import { codePointLength } from "../code-points.ts";
import { createMessageStore, type MessageView } from "./message-store.ts";

export type { MessageState, MessageView } from "./message-store.ts";

export type ChatPhase = "idle" | "loading" | "ready" | "not-found" | "error";

export interface ChatModelDeps {
  api: Pick<Api, "getConversation">;
  /** Builds an unconnected client for one conversation. */
  createClient(conversationId: string): ChatClient;
  /** The socket was refused for authentication and a refresh did not help. */
  onUnauthenticated(): void;
  /** A message of ours was accepted in this conversation. */
  onActivity?(conversationId: string): void;
}

const endNotes: Record<Exclude<MessageEnd["reason"], "completed">, string> = {
  cancelled: "The reply was stopped.",
  timeout: "The reply took too long and was stopped.",
  failed: "The reply failed.",
};

function describeError(error: Pick<ErrorEvent, "message" | "retryAfterMs">): string {
  if (error.retryAfterMs === undefined) return error.message;
  return `${error.message} (try again in ${Math.ceil(error.retryAfterMs / 1000)} s)`;
}

/** The open conversation: its messages, its socket, and the composer draft. */
export function createChatModel(deps: ChatModelDeps) {
  const conversationId = signal<string | null>(null);
  const phase = signal<ChatPhase>("idle");
  const loadError = signal<string | null>(null);
  const store = createMessageStore();
  const { messages, olderHidden, newerHidden, view } = store;
  const status = signal<ConnectionStatus>({ state: "idle" });
  const maxMessageChars = signal<number | null>(null);
  /** A refusal that belongs to no message (or a local one), shown above the composer. */
  const notice = signal<string | null>(null);
  const draft = signal("");
  const loadingOlder = signal(false);

  const drafts = new Map<string, string>();
  const unconfirmed = new Set<MessageView>();
  let client: ChatClient | null = null;
  // Bumped on every open/close so that answers for a conversation no longer shown are dropped.
  let generation = 0;

  function assistantMessage(messageId: string): MessageView {
    return store.get(messageId) ?? store.append(view(messageId, "assistant", "", "streaming"));
  }

  function stopClient(): void {
    client?.close();
    client = null;
  }

  /** Shows conversation `id` (or none): loads its history, then connects its socket. */
  async function open(id: string | null): Promise<void> {
    const previous = conversationId.peek();
    if (previous !== null) drafts.set(previous, draft.peek());
    stopClient();
    const current = ++generation;
    unconfirmed.clear();
    batch(() => {
      conversationId.value = id;
      store.clear();
      loadingOlder.value = false;
      notice.value = null;
      loadError.value = null;
      maxMessageChars.value = null;
      status.value = { state: "idle" };
      draft.value = id === null ? "" : (drafts.get(id) ?? "");
      phase.value = id === null ? "idle" : "loading";
    });
    if (id === null) return;

    let history: ChatMessage[];
    try {
      history = (await deps.api.getConversation(id)).messages;
    } catch (error) {
      if (current !== generation) return;
      if (error instanceof ApiError && error.status === 404) {
        phase.value = "not-found";
      } else {
        loadError.value = error instanceof Error ? error.message : String(error);
        phase.value = "error";
      }
      return;
    }
    if (current !== generation) return;
    batch(() => {
      store.showHistory(history);
      phase.value = "ready";
    });
    connect(id, current);
  }

  function connect(id: string, current: number): void {
    const chat = deps.createClient(id);
    client = chat;
    chat.on("status", (next) => {
      status.value = next;
      if (next.state === "offline" && next.reason === "not_found") phase.value = "not-found";
      if (next.state === "offline" && next.reason === "unauthenticated") deps.onUnauthenticated();
      if (next.state !== "live") failUnconfirmed();
    });
    chat.on("ready", ({ session, missedEvents, epochChanged }) => {
      maxMessageChars.value = session.limits.maxMessageChars;
      // The server restarted: a reply in progress runs again from its first delta.
      if (epochChanged) for (const message of messages.peek()) if (message.state.peek() === "streaming") message.content.value = "";
      if (missedEvents) void reloadHistory(id, current);
      resendUnconfirmed();
    });
    chat.on("accepted", (accepted) => {
      batch(() => {
        const mine = store.get(accepted.clientMessageId);
        if (mine) mine.replyId = accepted.messageId;
        if (mine && mine.state.peek() !== "sent") {
          mine.state.value = "sent";
          mine.note.value = null;
        }
        assistantMessage(accepted.messageId);
      });
      deps.onActivity?.(id);
    });
    chat.on("delta", (delta) => {
      batch(() => {
        const reply = assistantMessage(delta.messageId);
        reply.content.value += delta.text;
        if (reply.state.peek() !== "streaming") reply.state.value = "streaming";
      });
    });
    chat.on("end", (end) => {
      batch(() => {
        const reply = assistantMessage(end.messageId);
        if (end.reason === "completed") {
          reply.state.value = "done";
        } else {
          reply.state.value = "failed";
          reply.note.value = end.error ? describeError(end.error) : endNotes[end.reason];
        }
      });
    });
    chat.on("error", (error) => {
      const mine = error.clientMessageId === undefined ? undefined : store.get(error.clientMessageId);
      if (mine) {
        batch(() => {
          mine.state.value = "failed";
          mine.note.value = describeError(error);
        });
      } else {
        notice.value = describeError(error);
      }
    });
    chat.connect();
  }

  /**
   * Messages still waiting for `message.accepted` when the connection dropped may not have arrived.
   * They say so, and go again by themselves once the connection is back (same clientMessageId, so a
   * message that did arrive is not answered twice).
   */
  function failUnconfirmed(): void {
    batch(() => {
      for (const message of messages.peek()) {
        if (message.role === "user" && message.state.peek() === "pending") {
          message.state.value = "failed";
          message.note.value = "The connection dropped before the server confirmed this message. It will be sent again when the connection is back.";
          unconfirmed.add(message);
        }
      }
    });
  }

  function resendUnconfirmed(): void {
    for (const message of unconfirmed) if (message.state.peek() === "failed") retryMessage(message);
    unconfirmed.clear();
  }

  async function reloadHistory(id: string, current: number): Promise<void> {
    try {
      const conversation = await deps.api.getConversation(id);
      if (current === generation) store.showHistory(conversation.messages);
    } catch {
      // The live stream goes on; the next reconnect tries again.
    }
  }

  /** Brings in up to 200 older messages (the list's top was reached), staying within 1,000 held. */
  async function loadOlder(): Promise<void> {
    const id = conversationId.peek();
    if (id === null || olderHidden.peek() === 0 || loadingOlder.peek()) return;
    const current = generation;
    loadingOlder.value = true;
    try {
      const history = (await deps.api.getConversation(id)).messages;
      if (current !== generation) return;
      store.showOlder(history);
    } catch (error) {
      if (current === generation) notice.value = `Could not load older messages. ${error instanceof Error ? error.message : ""}`.trim();
    } finally {
      if (current === generation) loadingOlder.value = false;
    }
  }

  /** Back to the newest messages after older ones pushed them out. */
  function showNewest(): Promise<void> {
    const id = conversationId.peek();
    return id === null ? Promise.resolve() : reloadHistory(id, generation);
  }

  /**
   * Sends `content` (the draft when not given). False (with `notice` set when there is something
   * to say) when it did not go out.
   */
  function send(content: string = draft.peek()): boolean {
    if (!client || content.trim() === "") return false;
    let clientMessageId: string;
    try {
      clientMessageId = client.send(content);
    } catch (error) {
      notice.value = error instanceof SendRefusedError ? error.message : String(error);
      return false;
    }
    if (newerHidden.peek() > 0) void showNewest();
    batch(() => {
      store.append(view(clientMessageId, "user", content, "pending"));
      if (content === draft.peek()) draft.value = "";
      notice.value = null;
    });
    return true;
  }

  /**
   * Tries a failed message again. A message of the user's goes again under the same
   * clientMessageId (the server answers a repeat it already accepted with the original
   * acceptance, so nothing runs twice); a failed reply asks again with the message before it.
   */
  function retryMessage(message: MessageView): void {
    if (message.state.peek() !== "failed" || !client) return;
    if (message.role === "user") {
      try {
        client.send(message.content.peek(), message.id);
      } catch (error) {
        message.note.value = error instanceof SendRefusedError ? error.message : String(error);
        return;
      }
      batch(() => {
        message.state.value = "pending";
        message.note.value = null;
      });
      return;
    }
    const list = messages.peek();
    const question = list.slice(0, list.indexOf(message)).findLast((candidate) => candidate.role === "user");
    if (question) send(question.content.peek());
  }

  /** Draft length in code points, the unit of the server's limit. */
  function draftLength(): number {
    return codePointLength(draft.value);
  }

  /** Loads the current conversation again (after a load error). */
  function retry(): void {
    void open(conversationId.peek());
  }

  return {
    conversationId,
    phase,
    loadError,
    messages,
    olderHidden,
    newerHidden,
    loadingOlder,
    status,
    maxMessageChars,
    notice,
    draft,
    open,
    send,
    retryMessage,
    loadOlder,
    showNewest,
    draftLength,
    retry,
    reconnectNow: () => client?.reconnectNow(),
    close: () => void open(null),
  };
}

export type ChatModel = ReturnType<typeof createChatModel>;
