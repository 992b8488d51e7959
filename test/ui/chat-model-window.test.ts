import { describe, expect, test } from "bun:test";
import type { ChatMessage, ConversationWithMessages } from "../../src/protocol/index.ts";
import { ChatClient } from "../../ui/src/chat-client.ts";
import { createChatModel } from "../../ui/src/models/chat.ts";
import { MAX_HELD_MESSAGES, OLDER_PAGE, prependOlder, trimOldest } from "../../ui/src/models/message-window.ts";
import { FakeTimers, fakeWebSocketServer, sessionReady } from "./fakes.ts";

const numbered = (count: number, from = 0): ChatMessage[] =>
  Array.from({ length: count }, (_, i) => ({ id: `h${from + i}`, role: (from + i) % 2 ? "assistant" : "user", content: `message ${from + i}` }));

function setup(initial: ChatMessage[]) {
  let history = initial;
  const server = fakeWebSocketServer();
  const timers = new FakeTimers();
  let ids = 0;
  let failNext = false;
  const chat = createChatModel({
    api: {
      async getConversation(id): Promise<ConversationWithMessages> {
        if (failNext) {
          failNext = false;
          throw new Error("The server is down.");
        }
        return { id, title: "t", agent: "assistant", createdAt: "", updatedAt: "", messages: history };
      },
    },
    createClient: (id) => new ChatClient({ url: `ws://test/${id}`, WebSocketImpl: server.WebSocketImpl, timers, createId: () => `client-${++ids}`, random: () => 0 }),
    onUnauthenticated: () => {},
  });
  const goLive = (epoch = "e1", lastSeq = 0) => {
    const socket = server.latest();
    socket.open();
    socket.receive(sessionReady({ epoch, lastSeq }));
    return socket;
  };
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  const ids_ = () => chat.messages.value.map((message) => message.id);
  return {
    chat,
    server,
    timers,
    goLive,
    flush,
    ids: ids_,
    setHistory: (next: ChatMessage[]) => void (history = next),
    failNextLoad: () => void (failNext = true),
  };
}

describe("message window (pure)", () => {
  test("trimOldest keeps the newest max", () => {
    expect(trimOldest([1, 2, 3], 5)).toEqual({ messages: [1, 2, 3], dropped: 0 });
    expect(trimOldest([1, 2, 3, 4], 2)).toEqual({ messages: [3, 4], dropped: 2 });
  });

  test("prependOlder fills the room, gives up settled newest ones, never an unsettled one", () => {
    const settled = (n: number) => n > 0;
    expect(prependOlder([5, 6], [3, 4], settled, 10)).toEqual({ messages: [3, 4, 5, 6], added: 2, droppedNewest: 0 });
    expect(prependOlder([5, 6, 7], [1, 2, 3], settled, 4)).toEqual({ messages: [1, 2, 3, 5], added: 3, droppedNewest: 2 });
    // The newest is still changing (negative): nothing may be given up, so only the room is used.
    expect(prependOlder([5, 6, -7], [1, 2, 3, 4], settled, 4)).toEqual({ messages: [4, 5, 6, -7], added: 1, droppedNewest: 0 });
    expect(prependOlder([5, 6, -7], [1, 2], settled, 3)).toEqual({ messages: [5, 6, -7], added: 0, droppedNewest: 0 });
  });
});

describe("chat model: at most 1,000 messages held", () => {
  test("a long history shows its newest 1,000; older ones load in pages, newer ones come back", async () => {
    const { chat, ids, goLive } = setup(numbered(1_500));
    await chat.open("c1");
    goLive();
    expect(chat.messages.value).toHaveLength(MAX_HELD_MESSAGES);
    expect(ids()[0]).toBe("h500");
    expect(chat.olderHidden.value).toBe(500);

    await chat.loadOlder();
    expect(chat.messages.value).toHaveLength(MAX_HELD_MESSAGES);
    expect(ids()[0]).toBe(`h${500 - OLDER_PAGE}`);
    expect(ids().at(-1)).toBe(`h${1_499 - OLDER_PAGE}`);
    expect(chat.olderHidden.value).toBe(500 - OLDER_PAGE);
    expect(chat.newerHidden.value).toBe(OLDER_PAGE);

    await chat.showNewest();
    expect(ids()[0]).toBe("h500");
    expect(ids().at(-1)).toBe("h1499");
    expect(chat.newerHidden.value).toBe(0);
  });

  test("a live message past 1,000 pushes the oldest out; loadOlder does nothing without older ones", async () => {
    const { chat, ids, goLive } = setup(numbered(MAX_HELD_MESSAGES));
    await chat.open("c1");
    const socket = goLive();
    expect(chat.olderHidden.value).toBe(0);
    await chat.loadOlder();
    expect(ids()[0]).toBe("h0");
    socket.receive({ type: "message.delta", seq: 1, messageId: "live", text: "new" });
    expect(chat.messages.value).toHaveLength(MAX_HELD_MESSAGES);
    expect(ids()[0]).toBe("h1");
    expect(ids().at(-1)).toBe("live");
    expect(chat.olderHidden.value).toBe(1);
  });

  test("a failed load of older messages says so", async () => {
    const { chat, goLive, failNextLoad } = setup(numbered(1_100));
    await chat.open("c1");
    goLive();
    failNextLoad();
    await chat.loadOlder();
    expect(chat.notice.value).toBe("Could not load older messages. The server is down.");
    expect(chat.loadingOlder.value).toBe(false);
  });

  test("sending while newer messages are hidden brings the newest back", async () => {
    const { chat, goLive, flush } = setup(numbered(1_300));
    await chat.open("c1");
    goLive();
    await chat.loadOlder();
    expect(chat.newerHidden.value).toBeGreaterThan(0);
    chat.draft.value = "hello";
    expect(chat.send()).toBe(true);
    await flush();
    expect(chat.newerHidden.value).toBe(0);
    expect(chat.messages.value.at(-1)!.content.value).toBe("hello");
  });
});

describe("chat model: retry and reconnect", () => {
  test("a message unconfirmed when the connection dropped goes again, same clientMessageId, once live", async () => {
    const { chat, server, timers, goLive } = setup([]);
    await chat.open("c1");
    const first = goLive();
    chat.draft.value = "are you there?";
    chat.send();
    first.serverClose(1006);
    const mine = chat.messages.value[0]!;
    expect(mine.state.value).toBe("failed");
    expect(mine.note.value).toContain("sent again when the connection is back");
    timers.advance(1000);
    const second = goLive();
    expect(second.sent).toEqual([JSON.stringify({ type: "message.send", clientMessageId: "client-1", content: "are you there?" })]);
    expect(mine.state.value).toBe("pending");
    second.receive({ type: "message.accepted", taskId: "t1", clientMessageId: "client-1", messageId: "r1" });
    expect(mine.state.value).toBe("sent");
    expect(server.sockets).toHaveLength(2);
  });

  test("Retry on a refused message sends it again; Retry on a failed reply asks the question again", async () => {
    const { chat, goLive } = setup([]);
    await chat.open("c1");
    const socket = goLive();
    chat.draft.value = "question";
    chat.send();
    socket.receive({ type: "error", code: "internal", message: "Try again.", retryable: true, clientMessageId: "client-1" });
    const question = chat.messages.value[0]!;
    expect(question.state.value).toBe("failed");
    chat.retryMessage(question);
    expect(question.state.value).toBe("pending");
    expect(JSON.parse(socket.sent.at(-1)!)).toMatchObject({ clientMessageId: "client-1", content: "question" });

    socket.receive({ type: "message.accepted", taskId: "t1", clientMessageId: "client-1", messageId: "r1" });
    socket.receive({ type: "message.end", seq: 1, messageId: "r1", reason: "failed", error: { code: "model_error", message: "Down.", retryable: true } });
    const reply = chat.messages.value[1]!;
    chat.retryMessage(reply);
    expect(JSON.parse(socket.sent.at(-1)!)).toMatchObject({ clientMessageId: "client-2", content: "question" });
    chat.retryMessage(question); // not failed any more: nothing happens
    expect(socket.sent).toHaveLength(3);
  });

  test("a retry refused locally says why on the message", async () => {
    const { chat, server, goLive } = setup([]);
    await chat.open("c1");
    const socket = goLive();
    chat.draft.value = "question";
    chat.send();
    socket.receive({ type: "error", code: "internal", message: "No.", retryable: true, clientMessageId: "client-1" });
    server.latest().serverClose(1000);
    const question = chat.messages.value[0]!;
    chat.retryMessage(question);
    expect(question.note.value).toBe("Not connected. The message was not sent.");
  });

  test("after a server restart (new epoch) the history is reloaded; a reply in progress keeps its place and starts over", async () => {
    const { chat, server, timers, goLive, flush, setHistory } = setup([]);
    await chat.open("c1");
    const first = goLive("e1");
    chat.draft.value = "long one";
    chat.send();
    first.receive({ type: "message.accepted", taskId: "t1", clientMessageId: "client-1", messageId: "r1" });
    first.receive({ type: "message.delta", seq: 1, messageId: "r1", text: "Half a rep" });
    first.serverClose(1006);
    // The checkpoint has the question (under the server's id), not the unfinished reply.
    setHistory([{ id: "server-user-id", role: "user", content: "long one" }]);
    timers.advance(1000);
    expect(server.latest().url).toBe("ws://test/c1?lastSeq=1&epoch=e1");
    const second = goLive("e2", 0);
    second.receive({ type: "session.reset", epoch: "e2", lastSeq: 0 });
    const rendered = () => chat.messages.value.map((m) => `${m.role}:${m.state.value}:${m.content.value}`);
    expect(rendered()).toEqual(["user:sent:long one", "assistant:streaming:Half a rep"]);
    // The run starts over; its first event arrives before the reloaded history does.
    second.receive({ type: "message.reset", seq: 1, messageId: "r1" });
    second.receive({ type: "message.delta", seq: 2, messageId: "r1", text: "Half a reply," });
    await flush();
    expect(rendered()).toEqual(["user:sent:long one", "assistant:streaming:Half a reply,"]);
    second.receive({ type: "message.delta", seq: 3, messageId: "r1", text: " whole." });
    second.receive({ type: "message.end", seq: 4, messageId: "r1", reason: "completed" });
    expect(rendered()).toEqual(["user:sent:long one", "assistant:done:Half a reply, whole."]);
  });
});
