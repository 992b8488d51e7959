import { batch, signal, type Signal } from "@preact/signals";
import type { ChatMessage, ErrorEvent, MessageEnd } from "../../../src/protocol/index.ts";
import { ApiError, type Api } from "../api.ts";
import { SendRefusedError, type ChatClient, type ConnectionStatus } from "../chat-client.ts";
import { codePointLength } from "../code-points.ts";

/**
 * pending: sent, not yet accepted · sent: accepted · streaming: reply arriving ·
 * done: reply complete · failed: refused, or the reply ended without completing.
 */
export type MessageState = "pending" | "sent" | "streaming" | "done" | "failed";

/** One message on screen. `content` grows in place while a reply streams. */
export interface MessageView {
  /** Server message id; for the user's own new messages, the clientMessageId. */
  id: string;
  role: ChatMessage["role"];
  content: Signal<string>;
  state: Signal<MessageState>;
  /** A refusal or an unfinished ending, shown under the message. */
  note: Signal<string | null>;
}

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
  const messages = signal<MessageView[]>([]);
  const status = signal<ConnectionStatus>({ state: "idle" });
  const maxMessageChars = signal<number | null>(null);
  /** A refusal that belongs to no message (or a local one), shown above the composer. */
  const notice = signal<string | null>(null);
  const draft = signal("");

  const drafts = new Map<string, string>();
  const byId = new Map<string, MessageView>();
  let client: ChatClient | null = null;
  // Bumped on every open/close so that answers for a conversation no longer shown are dropped.
  let generation = 0;

  function view(id: string, role: ChatMessage["role"], content: string, state: MessageState): MessageView {
    const message: MessageView = { id, role, content: signal(content), state: signal(state), note: signal(null) };
    byId.set(id, message);
    return message;
  }

  function append(message: MessageView): void {
    messages.value = [...messages.peek(), message];
  }

  function setHistory(history: ChatMessage[]): void {
    byId.clear();
    messages.value = history.map((message) => view(message.id, message.role, message.content, "done"));
  }

  function assistantMessage(messageId: string): MessageView {
    const existing = byId.get(messageId);
    if (existing) return existing;
    const created = view(messageId, "assistant", "", "streaming");
    append(created);
    return created;
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
    byId.clear();
    batch(() => {
      conversationId.value = id;
      messages.value = [];
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
      setHistory(history);
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
    chat.on("ready", ({ session, missedEvents }) => {
      maxMessageChars.value = session.limits.maxMessageChars;
      if (missedEvents) void reloadHistory(id, current);
    });
    chat.on("accepted", (accepted) => {
      batch(() => {
        const mine = byId.get(accepted.clientMessageId);
        if (mine && mine.state.peek() === "pending") mine.state.value = "sent";
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
      const mine = error.clientMessageId === undefined ? undefined : byId.get(error.clientMessageId);
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

  /** Messages still waiting for `message.accepted` when the connection dropped may not have arrived. */
  function failUnconfirmed(): void {
    batch(() => {
      for (const message of messages.peek()) {
        if (message.role === "user" && message.state.peek() === "pending") {
          message.state.value = "failed";
          message.note.value = "The connection dropped before the server confirmed this message.";
        }
      }
    });
  }

  async function reloadHistory(id: string, current: number): Promise<void> {
    try {
      const conversation = await deps.api.getConversation(id);
      if (current === generation) setHistory(conversation.messages);
    } catch {
      // The live stream goes on; the next reconnect tries again.
    }
  }

  /** Sends the draft. False (with `notice` set when there is something to say) when it did not go out. */
  function send(): boolean {
    const content = draft.peek();
    if (!client || content.trim() === "") return false;
    let clientMessageId: string;
    try {
      clientMessageId = client.send(content);
    } catch (error) {
      notice.value = error instanceof SendRefusedError ? error.message : String(error);
      return false;
    }
    batch(() => {
      append(view(clientMessageId, "user", content, "pending"));
      draft.value = "";
      notice.value = null;
    });
    return true;
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
    status,
    maxMessageChars,
    notice,
    draft,
    open,
    send,
    draftLength,
    retry,
    reconnectNow: () => client?.reconnectNow(),
    close: () => void open(null),
  };
}

export type ChatModel = ReturnType<typeof createChatModel>;
