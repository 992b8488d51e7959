import { batch, signal, type Signal } from "@preact/signals";
import type { ChatMessage } from "../../../src/protocol/index.ts";
import { MAX_HELD_MESSAGES, OLDER_PAGE, prependOlder, trimOldest } from "./message-window.ts";

/**
 * pending: sent, not yet accepted · sent: accepted · streaming: reply arriving · done: reply
 * complete · cancelled: the reply was stopped (its text so far stays) · failed: refused, or the
 * reply ended without completing.
 */
export type MessageState = "pending" | "sent" | "streaming" | "done" | "cancelled" | "failed";

/** "Blocked in error?" for a message the input guard refused. */
export type ReportState = "none" | "sending" | "reported" | "failed";

/** One message on screen. `content` grows in place while a reply streams. */
export interface MessageView {
  /** Server message id; for the user's own new messages, the clientMessageId. */
  id: string;
  role: ChatMessage["role"];
  content: Signal<string>;
  state: Signal<MessageState>;
  /** A refusal or an unfinished ending, shown under the message. */
  note: Signal<string | null>;
  /** The error code of a refusal (`input_blocked`, `rate_limited`, …). */
  errorCode: Signal<string | null>;
  /** Where a report of this (blocked) message stands. */
  report: Signal<ReportState>;
  /** The tool calls of a reply, by toolCallId, in the order they started. */
  tools: Signal<string[]>;
  /** Added on this page (sent by the user, or from socket events), not read from the history. */
  live: boolean;
  /** For the user's own messages: the id of the reply, once accepted. */
  replyId?: string;
  /** For a reply: the task that writes it (from `message.accepted`), which `message.cancel` names. */
  taskId?: string;
}

const historyState = (message: ChatMessage): MessageState => (message.status === "cancelled" ? "cancelled" : message.status === "timeout" ? "failed" : "done");
const historyNote = (message: ChatMessage): string | null =>
  message.status === "cancelled" ? "Stopped." : message.status === "timeout" ? "The reply took too long and was stopped." : null;

/**
 * The messages of the open conversation that are held: at most 1,000, a contiguous part of its
 * history followed by the messages added on this page that it does not have yet, with counts of
 * those not held on either side.
 */
export function createMessageStore() {
  const messages = signal<MessageView[]>([]);
  /** Messages of the conversation older than the first one held (they load on request). */
  const olderHidden = signal(0);
  /** Messages newer than the held ones that were given up to make room for older ones. */
  const newerHidden = signal(0);
  const byId = new Map<string, MessageView>();

  function view(id: string, role: ChatMessage["role"], content: string, state: MessageState, live = true): MessageView {
    const message: MessageView = {
      id,
      role,
      content: signal(content),
      state: signal(state),
      note: signal(null),
      errorCode: signal(null),
      report: signal("none"),
      tools: signal([]),
      live,
    };
    byId.set(id, message);
    return message;
  }

  function fromHistory(message: ChatMessage): MessageView {
    const shown = view(message.id, message.role, message.content, historyState(message), false);
    shown.note.value = historyNote(message);
    return shown;
  }

  /** Adds a message at the end, letting the oldest go past 1,000. */
  function append(message: MessageView): MessageView {
    const trimmed = trimOldest([...messages.peek(), message], MAX_HELD_MESSAGES);
    for (const dropped of messages.peek().slice(0, trimmed.dropped)) byId.delete(dropped.id);
    messages.value = trimmed.messages;
    if (trimmed.dropped) olderHidden.value += trimmed.dropped;
    return message;
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
   * Shows the newest part of `history`. A message the history holds is shown from it, unless
   * `preferShown` says the one on screen is the newer copy (a reply rebuilt from the socket's
   * events). After it stay the messages of this page the history cannot hold yet: replies still
   * being written with their questions, and messages the server never accepted (a reply is in
   * the history once it ended; the user's message under the server's id).
   */
  function showHistory(history: ChatMessage[], preferShown: (message: MessageView) => boolean = () => false): void {
    const known = new Set(history.map((message) => message.id));
    const shown = new Map(messages.peek().map((message) => [message.id, message]));
    const kept = messages.peek().filter((message) => {
      if (!message.live || known.has(message.id)) return false;
      // A message the server never accepted (refused, or not confirmed yet) is in no history.
      if (message.role === "user" && !message.replyId) return true;
      if (message.replyId && known.has(message.replyId)) return false;
      return inFlight(message);
    });
    // The history has the user's message of a reply in progress, under the server's id: show ours.
    const keptUser = new Set(kept.filter((message) => message.role === "user").map((message) => message.content.peek()));
    let cut = history.length;
    while (cut > 0 && history[cut - 1]!.role === "user" && keptUser.has(history[cut - 1]!.content)) cut--;
    const start = Math.max(0, cut - (MAX_HELD_MESSAGES - kept.length));
    byId.clear();
    const views = history.slice(start, cut).map((message) => {
      const current = shown.get(message.id);
      if (current && preferShown(current)) return (byId.set(current.id, current), current);
      return fromHistory(message);
    });
    for (const message of kept) byId.set(message.id, message);
    batch(() => {
      messages.value = [...views, ...kept];
      olderHidden.value = start;
      newerHidden.value = 0;
    });
  }

  /** Puts up to 200 messages of `history` that come before the first one held in front of it. */
  function showOlder(history: ChatMessage[]): void {
    const held = messages.peek();
    const first = held.length ? history.findIndex((message) => message.id === held[0]!.id) : history.length;
    const before = Math.max(0, first);
    const older = history.slice(Math.max(0, before - OLDER_PAGE), before).map(fromHistory);
    const extended = prependOlder(held, older, (message) => !inFlight(message));
    for (const dropped of held.slice(held.length - extended.droppedNewest)) if (extended.droppedNewest) byId.delete(dropped.id);
    for (const unused of older.slice(0, older.length - extended.added)) byId.delete(unused.id);
    batch(() => {
      messages.value = extended.messages;
      olderHidden.value = before - extended.added;
      newerHidden.value += extended.droppedNewest;
    });
  }

  function clear(): void {
    byId.clear();
    batch(() => {
      messages.value = [];
      olderHidden.value = 0;
      newerHidden.value = 0;
    });
  }

  return { messages, olderHidden, newerHidden, get: (id: string) => byId.get(id), view, append, inFlight, showHistory, showOlder, clear };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
