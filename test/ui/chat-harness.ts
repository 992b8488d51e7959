import type { ChatMessage, ConversationWithMessages } from "../../src/protocol/index.ts";
import { ApiError } from "../../ui/src/api.ts";
import { ChatClient } from "../../ui/src/chat-client.ts";
import { createChatModel } from "../../ui/src/models/chat.ts";
import { createRateLimitModel } from "../../ui/src/models/rate-limit.ts";
import { FakeTimers, fakeWebSocketServer, sessionReady } from "./fakes.ts";

/** What `GET /api/conversations/:id` answers in a test; null = 404. */
export type StoredConversation = Pick<ConversationWithMessages, "messages" | "epoch" | "lastSeq" | "pendingConfirmations" | "activeReplies">;

/** A chat model on a fake socket, fake timers and a scripted conversation API. */
export function chatHarness(initial: StoredConversation | null = { messages: [] }) {
  let stored = initial;
  const server = fakeWebSocketServer();
  const timers = new FakeTimers();
  let ids = 0;
  let loads = 0;
  const toolEnds: string[] = [];
  const rateLimit = createRateLimitModel({ timers, now: () => timers.now });
  const chat = createChatModel({
    api: {
      async getConversation(id) {
        loads++;
        if (!stored) throw new ApiError(404, "not_found", "Conversation not found");
        return { id, title: "t", agent: "project", createdAt: "", updatedAt: "", ...stored };
      },
    },
    createClient: (id, resumeFrom) =>
      new ChatClient({ url: `ws://test/ws/chat/${id}`, resumeFrom, WebSocketImpl: server.WebSocketImpl, timers, random: () => 0, createId: () => `client-${++ids}` }),
    onUnauthenticated: () => {},
    onToolEnd: (name, ok) => void toolEnds.push(`${name}:${ok}`),
    rateLimit,
  });
  const goLive = (epoch = "e1", lastSeq = 0) => {
    const socket = server.latest();
    socket.open();
    socket.receive(sessionReady({ epoch, lastSeq }));
    return socket;
  };
  /** `role:state:text` of every message on screen. */
  const rendered = () => chat.messages.value.map((m) => `${m.role}:${m.state.value}:${m.content.value}`);
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    chat,
    server,
    timers,
    rateLimit,
    goLive,
    rendered,
    flush,
    toolEnds,
    loads: () => loads,
    store: (next: StoredConversation | null) => void (stored = next),
  };
}

export const user = (id: string, content: string): ChatMessage => ({ id, role: "user", content });
export const assistant = (id: string, content: string, status?: ChatMessage["status"]): ChatMessage => ({ id, role: "assistant", content, ...(status ? { status } : {}) });
