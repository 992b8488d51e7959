import { batch, computed, signal } from "@preact/signals";
import type { ConversationWithMessages } from "../../../src/protocol/index.ts";
import { ApiError, type Api } from "../api.ts";
import { SendRefusedError, type ChatClient, type ConnectionStatus, type ResumePosition } from "../chat-client.ts";
import { codePointLength } from "../code-points.ts";
import { createChatCommands } from "./chat-commands.ts";
import { applyChatEvents, attachTool } from "./chat-events.ts";
import { createMessageStore, type MessageView } from "./message-store.ts";
import { createRateLimitModel, type RateLimitModel } from "./rate-limit.ts";
import { createToolCalls, type PendingConfirmation } from "./tool-calls.ts";

export type { MessageState, MessageView, ReportState } from "./message-store.ts";

export type ChatPhase = "idle" | "loading" | "ready" | "not-found" | "error";

export interface ChatModelDeps {
  api: Pick<Api, "getConversation">;
  /** Builds an unconnected client for one conversation, resuming at `resumeFrom` when given. */
  createClient(conversationId: string, resumeFrom?: ResumePosition): ChatClient;
  /** The socket was refused for authentication and a refresh did not help. */
  onUnauthenticated(): void;
  /** A message of ours was accepted in this conversation. */
  onActivity?(conversationId: string): void;
  /** A tool call ended (a project created or changed). */
  onToolEnd?(name: string, ok: boolean): void;
  /** The user's message budget; shared by all conversations (one of its own when not given). */
  rateLimit?: RateLimitModel;
}

const errorText = (error: unknown) => (error instanceof SendRefusedError || error instanceof Error ? error.message : String(error));

/** The open conversation: its messages and tool calls, its socket, and the composer draft. */
export function createChatModel(deps: ChatModelDeps) {
  const conversationId = signal<string | null>(null);
  const phase = signal<ChatPhase>("idle");
  const loadError = signal<string | null>(null);
  const store = createMessageStore();
  const { messages, olderHidden, newerHidden, view } = store;
  const tools = createToolCalls();
  const rateLimit = deps.rateLimit ?? createRateLimitModel();
  const status = signal<ConnectionStatus>({ state: "idle" });
  const maxMessageChars = signal<number | null>(null);
  /** A refusal that belongs to no message (or a local one), shown above the composer. */
  const notice = signal<string | null>(null);
  const draft = signal("");
  const loadingOlder = signal(false);
  /** The reply being written that Stop would cancel (its task is known), or null. */
  const stoppable = computed(() => messages.value.findLast((message) => message.role === "assistant" && message.state.value === "streaming" && message.taskId) ?? null);

  const drafts = new Map<string, string>();
  const unconfirmed = new Set<MessageView>();
  const rebuilt = new Set<string>();
  let client: ChatClient | null = null;
  // Bumped on every open/close so that answers for a conversation no longer shown are dropped.
  let generation = 0;
  /** messageId → taskId of replies running when the history was loaded: Stop works after a reload too. */
  const activeTasks = new Map<string, string>();

  function stopClient(): void {
    client?.close();
    client = null;
  }

  /** Shows a loaded history, and the cards of tool calls still waiting for an answer. */
  function show(conversation: ConversationWithMessages): void {
    activeTasks.clear();
    for (const active of conversation.activeReplies ?? []) activeTasks.set(active.messageId, active.taskId);
    batch(() => {
      store.showHistory(conversation.messages, (message) => rebuilt.has(message.id));
      for (const call of tools.restorePending((conversation.pendingConfirmations ?? []) as PendingConfirmation[])) {
        const last = messages.peek().at(-1);
        const holder = last?.role === "assistant" ? last : store.append(view(`confirm:${call.toolCallId}`, "assistant", "", "done", false));
        attachTool(store, holder, call.toolCallId);
      }
    });
  }

  /** Shows conversation `id` (or none): loads its history, then connects its socket where the history ends. */
  async function open(id: string | null): Promise<void> {
    const previous = conversationId.peek();
    if (previous !== null) drafts.set(previous, draft.peek());
    stopClient();
    const current = ++generation;
    unconfirmed.clear();
    rebuilt.clear();
    batch(() => {
      conversationId.value = id;
      store.clear();
      tools.clear();
      loadingOlder.value = false;
      notice.value = null;
      loadError.value = null;
      maxMessageChars.value = null;
      status.value = { state: "idle" };
      draft.value = id === null ? "" : (drafts.get(id) ?? "");
      phase.value = id === null ? "idle" : "loading";
    });
    if (id === null) return;

    let conversation: ConversationWithMessages;
    try {
      conversation = await deps.api.getConversation(id);
    } catch (error) {
      if (current !== generation) return;
      if (error instanceof ApiError && error.status === 404) {
        phase.value = "not-found";
      } else {
        loadError.value = errorText(error);
        phase.value = "error";
      }
      return;
    }
    if (current !== generation) return;
    batch(() => {
      show(conversation);
      phase.value = "ready";
    });
    const { epoch, lastSeq } = conversation;
    connect(id, current, epoch !== undefined && lastSeq !== undefined ? { epoch, lastSeq } : undefined);
  }

  function connect(id: string, current: number, resumeFrom: ResumePosition | undefined): void {
    const chat = deps.createClient(id, resumeFrom);
    client = chat;
    chat.on("status", (next) => {
      status.value = next;
      if (next.state === "offline" && next.reason === "not_found") phase.value = "not-found";
      if (next.state === "offline" && next.reason === "unauthenticated") deps.onUnauthenticated();
      if (next.state !== "live") failUnconfirmed();
    });
    chat.on("ready", ({ session }) => {
      maxMessageChars.value = session.limits.maxMessageChars;
      resendUnconfirmed();
    });
    // The server no longer holds our position: reload; the replies still running replay from their start.
    chat.on("reset", () => {
      rebuilt.clear();
      void reloadHistory(id, current);
    });
    applyChatEvents(chat, {
      store,
      tools,
      rateLimit,
      notice,
      rebuilt,
      activeTasks,
      onActivity: () => deps.onActivity?.(id),
      onToolEnd: deps.onToolEnd,
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
      if (current === generation) show(conversation);
    } catch {
      // The live stream goes on; the next reset or "show newest" tries again.
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
      if (current === generation) notice.value = `Could not load older messages. ${errorText(error)}`.trim();
    } finally {
      if (current === generation) loadingOlder.value = false;
    }
  }

  /** Back to the newest messages after older ones pushed them out. */
  function showNewest(): Promise<void> {
    const id = conversationId.peek();
    return id === null ? Promise.resolve() : reloadHistory(id, generation);
  }

  /** Runs a command on the live socket; false (with `notice` set) when it could not go out. */
  function command(act: (chat: ChatClient) => void): boolean {
    if (!client) return false;
    try {
      act(client);
      return true;
    } catch (error) {
      notice.value = errorText(error);
      return false;
    }
  }

  /**
   * Sends `content` (the draft when not given). False (with `notice` set when there is something
   * to say) when it did not go out.
   */
  function send(content: string = draft.peek()): boolean {
    if (!client || content.trim() === "" || rateLimit.limited.peek()) return false;
    let clientMessageId = "";
    if (!command((chat) => (clientMessageId = chat.send(content)))) return false;
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
    if (message.state.peek() !== "failed" || !client || rateLimit.limited.peek()) return;
    if (message.role === "user") {
      try {
        client.send(message.content.peek(), message.id);
      } catch (error) {
        message.note.value = errorText(error);
        return;
      }
      batch(() => {
        message.state.value = "pending";
        message.note.value = null;
        message.errorCode.value = null;
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
    tools,
    rateLimit,
    stoppable,
    open,
    send,
    retryMessage,
    ...createChatCommands({ run: command, stoppable, tools, draft }),
    loadOlder,
    showNewest,
    draftLength,
    retry: () => void open(conversationId.peek()),
    reconnectNow: () => client?.reconnectNow(),
    /** A newer access token: hands it to the live socket (`auth.refresh`). */
    refreshAuth: (token: string) => client?.refreshAuth(token) ?? false,
    close: () => void open(null),
  };
}

export type ChatModel = ReturnType<typeof createChatModel>;
