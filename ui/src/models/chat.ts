import { batch, signal, type Signal } from "@preact/signals";
import type { ChatMessage, ErrorEvent, MessageEnd } from "../../../src/protocol/index.ts";
import { ApiError, type Api } from "../api.ts";
import { SendRefusedError, type ChatClient, type ConnectionStatus } from "../chat-client.ts";
import { codePointLength } from "../code-points.ts";
import { MAX_HELD_MESSAGES, OLDER_PAGE, prependOlder, trimOldest } from "./message-window.ts";

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
  /** For the user's own messages: the id of the reply, once accepted. */
  replyId?: string;
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
  /** Messages of the conversation older than the first one held (they load on request). */
  const olderHidden = signal(0);
  /** Messages newer than the held ones that were given up to make room for older ones. */
  const newerHidden = signal(0);
  const loadingOlder = signal(false);

  const drafts = new Map<string, string>();
  const byId = new Map<string, MessageView>();
  const unconfirmed = new Set<MessageView>();
  let client: ChatClient | null = null;
  // Bumped on every open/close so that answers for a conversation no longer shown are dropped.
  let generation = 0;

  function view(id: string, role: ChatMessage["role"], content: string, state: MessageState): MessageView {
    const message: MessageView = { id, role, content: signal(content), state: signal(state), note: signal(null) };
    byId.set(id, message);
    return message;
  }

  function append(message: MessageView): void {
    const trimmed = trimOldest([...messages.peek(), message], MAX_HELD_MESSAGES);
    for (let index = 0; index < trimmed.dropped; index++) byId.delete(messages.peek()[index]!.id);
    messages.value = trimmed.messages;
    if (trimmed.dropped) olderHidden.value += trimmed.dropped;
  }

  /** Still changing: not yet confirmed, a reply streaming, or a message whose reply has not ended. */
  function inFlight(message: MessageView): boolean {
    const state = message.state.peek();
    if (state === "pending" || state === "streaming") return true;
    if (message.role !== "user" || state !== "sent" || !message.replyId) return false;
    const reply = byId.get(message.replyId);
    return !reply || reply.state.peek() === "streaming";
  }

  /**
   * Shows the newest part of `history`, keeping the messages still in flight that it does not
   * have yet (a reply still streaming is not in the history until it ends). When `restarted`, the
   * server lost its events: a reply in progress starts over, so its text so far is cleared.
   */
  function setHistory(history: ChatMessage[], restarted = false): void {
    const known = new Set(history.map((message) => message.id));
    const kept = messages.peek().filter((message) => inFlight(message) && !known.has(message.id));
    // The history has the user's message of a reply in progress, under the server's id: show ours.
    const keptUser = new Set(kept.filter((message) => message.role === "user").map((message) => message.content.peek()));
    let cut = history.length;
    while (cut > 0 && history[cut - 1]!.role === "user" && keptUser.has(history[cut - 1]!.content)) cut--;
    const start = Math.max(0, cut - (MAX_HELD_MESSAGES - kept.length));
    byId.clear();
    const views = history.slice(start, cut).map((message) => view(message.id, message.role, message.content, "done"));
    for (const message of kept) {
      byId.set(message.id, message);
      if (restarted && message.role === "assistant") message.content.value = "";
    }
    batch(() => {
      messages.value = [...views, ...kept];
      olderHidden.value = start;
      newerHidden.value = 0;
    });
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
    unconfirmed.clear();
    batch(() => {
      conversationId.value = id;
      messages.value = [];
      olderHidden.value = 0;
      newerHidden.value = 0;
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
    chat.on("ready", ({ session, missedEvents, epochChanged }) => {
      maxMessageChars.value = session.limits.maxMessageChars;
      if (missedEvents) void reloadHistory(id, current, epochChanged);
      resendUnconfirmed();
    });
    chat.on("accepted", (accepted) => {
      batch(() => {
        const mine = byId.get(accepted.clientMessageId);
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

  async function reloadHistory(id: string, current: number, restarted = false): Promise<void> {
    try {
      const conversation = await deps.api.getConversation(id);
      if (current === generation) setHistory(conversation.messages, restarted);
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
      const held = messages.peek();
      const first = held.length ? history.findIndex((message) => message.id === held[0]!.id) : history.length;
      const before = first < 0 ? 0 : first;
      const older = history.slice(Math.max(0, before - OLDER_PAGE), before).map((m) => view(m.id, m.role, m.content, "done"));
      const extended = prependOlder(held, older, (message) => !inFlight(message));
      for (const dropped of held.slice(held.length - extended.droppedNewest)) if (extended.droppedNewest) byId.delete(dropped.id);
      for (const unused of older.slice(0, older.length - extended.added)) byId.delete(unused.id);
      batch(() => {
        messages.value = extended.messages;
        olderHidden.value = before - extended.added;
        newerHidden.value += extended.droppedNewest;
      });
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
      append(view(clientMessageId, "user", content, "pending"));
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
