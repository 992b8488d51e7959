import { describe, expect, test } from "bun:test";
import type { ChatMessage, ConversationWithMessages } from "../../src/protocol/index.ts";
import { ApiError } from "../../ui/src/api.ts";
import { ChatClient } from "../../ui/src/chat-client.ts";
import { createChatModel } from "../../ui/src/models/chat.ts";
import { FakeTimers, fakeWebSocketServer, sessionReady } from "./fakes.ts";

function conversation(id: string, messages: ChatMessage[] = []): ConversationWithMessages {
  const now = new Date(0).toISOString();
  return { id, title: "t", agent: "default", createdAt: now, updatedAt: now, messages };
}

function setup(history: Record<string, ChatMessage[]> = { c1: [] }) {
  const server = fakeWebSocketServer();
  const timers = new FakeTimers();
  let ids = 0;
  let unauthenticated = 0;
  const chat = createChatModel({
    api: {
      async getConversation(id) {
        const messages = history[id];
        if (!messages) throw new ApiError(404, "not_found", "Conversation not found");
        return conversation(id, messages);
      },
    },
    createClient: (id) =>
      new ChatClient({
        url: `ws://test/ws/chat/${id}`,
        WebSocketImpl: server.WebSocketImpl,
        timers,
        createId: () => `client-${++ids}`,
      }),
    onUnauthenticated: () => unauthenticated++,
  });
  const goLive = () => {
    const socket = server.latest();
    socket.open();
    socket.receive(sessionReady({ limits: { maxMessageChars: 10, maxFrameBytes: 65_536 } }));
    return socket;
  };
  const rendered = () => chat.messages.value.map((m) => `${m.role}:${m.state.value}:${m.content.value}`);
  return { chat, server, timers, goLive, rendered, unauthenticatedCalls: () => unauthenticated };
}

describe("chat model", () => {
  test("shows history, then a reply that grows with each delta", async () => {
    const { chat, goLive, rendered } = setup({ c1: [{ id: "m0", role: "assistant", content: "Earlier" }] });
    await chat.open("c1");
    const socket = goLive();
    expect(chat.status.value).toEqual({ state: "live" });
    expect(chat.maxMessageChars.value).toBe(10);

    chat.draft.value = "Hi";
    expect(chat.send()).toBe(true);
    expect(chat.draft.value).toBe("");
    expect(rendered()).toEqual(["assistant:done:Earlier", "user:pending:Hi"]);

    socket.receive({ type: "message.accepted", taskId: "t1", clientMessageId: "client-1", messageId: "m1" });
    expect(rendered()).toEqual(["assistant:done:Earlier", "user:sent:Hi", "assistant:streaming:"]);
    const reply = chat.messages.value[2]!;
    const seen: string[] = [];
    const stop = reply.content.subscribe((text) => seen.push(text));

    socket.receive({ type: "message.delta", seq: 1, messageId: "m1", text: "Hel" });
    socket.receive({ type: "message.delta", seq: 2, messageId: "m1", text: "lo" });
    socket.receive({ type: "message.delta", seq: 2, messageId: "m1", text: "lo" });
    socket.receive({ type: "message.end", seq: 3, messageId: "m1", reason: "completed" });
    stop();

    // Every delta is visible as soon as it arrives; the repeat is not.
    expect(seen).toEqual(["", "Hel", "Hello"]);
    expect(rendered()).toEqual(["assistant:done:Earlier", "user:sent:Hi", "assistant:done:Hello"]);
  });

  test("markup in a reply stays text", async () => {
    const { chat, goLive } = setup();
    await chat.open("c1");
    const socket = goLive();
    const markup = '<script>alert(1)</script><img src=x onerror="alert(2)">';
    socket.receive({ type: "message.delta", seq: 1, messageId: "m1", text: markup });
    expect(chat.messages.value[0]!.content.value).toBe(markup);
  });

  test("a refusal is shown on the message it refuses", async () => {
    const { chat, goLive, rendered } = setup();
    await chat.open("c1");
    const socket = goLive();
    chat.draft.value = "Hi";
    chat.send();
    socket.receive({
      type: "error",
      code: "rate_limited",
      message: "Too many messages.",
      retryable: true,
      retryAfterMs: 2500,
      clientMessageId: "client-1",
    });
    expect(rendered()).toEqual(["user:failed:Hi"]);
    expect(chat.messages.value[0]!.note.value).toBe("Too many messages.");
    // The wait is a countdown above the composer, and nothing can be sent until it ends.
    expect(chat.rateLimit.countdownNote.value).toBe("Message limit reached. You can send again in 3 s.");
    chat.draft.value = "again";
    expect(chat.send()).toBe(false);
  });

  test("a reply that ends without completing says why", async () => {
    const { chat, goLive } = setup();
    await chat.open("c1");
    const socket = goLive();
    socket.receive({ type: "message.delta", seq: 1, messageId: "m1", text: "Partial" });
    socket.receive({
      type: "message.end",
      seq: 2,
      messageId: "m1",
      reason: "failed",
      error: { code: "model_error", message: "The model is unavailable.", retryable: true },
    });
    const reply = chat.messages.value[0]!;
    expect(reply.state.value).toBe("failed");
    expect(reply.content.value).toBe("Partial");
    expect(reply.note.value).toBe("The model is unavailable.");
  });

  test("a draft over the limit is not sent and says so", async () => {
    const { chat, server, goLive } = setup();
    await chat.open("c1");
    goLive();
    chat.draft.value = "😀".repeat(11);
    expect(chat.draftLength()).toBe(11);
    expect(chat.send()).toBe(false);
    expect(chat.notice.value).toContain("limit is 10");
    expect(chat.messages.value).toEqual([]);
    expect(server.latest().sent).toEqual([]);
  });

  test("a missing conversation shows not found (HTTP 404 or socket 4004)", async () => {
    const first = setup({});
    await first.chat.open("gone");
    expect(first.chat.phase.value).toBe("not-found");
    expect(first.server.sockets).toHaveLength(0);

    const second = setup();
    await second.chat.open("c1");
    second.server.latest().serverClose(4004);
    expect(second.chat.phase.value).toBe("not-found");
    expect(second.chat.status.value).toEqual({ state: "offline", reason: "not_found" });
  });

  test("switching conversations closes the old socket and keeps each draft", async () => {
    const { chat, server, timers } = setup({ c1: [], c2: [] });
    await chat.open("c1");
    chat.draft.value = "draft one";
    await chat.open("c2");
    expect(server.sockets[0]!.closedByClient?.code).toBe(1000);
    expect(chat.draft.value).toBe("");
    await chat.open("c1");
    expect(chat.draft.value).toBe("draft one");
    await chat.open(null);
    expect(timers.pending()).toBe(0);
  });

  test("a socket refused for authentication signs the user out", async () => {
    const { chat, server, unauthenticatedCalls } = setup();
    await chat.open("c1");
    server.latest().serverClose(4001);
    expect(unauthenticatedCalls()).toBe(1);
  });
});
