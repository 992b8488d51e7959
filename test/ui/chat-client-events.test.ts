import { describe, expect, test } from "bun:test";
import { chatClientHarness, sessionReady } from "./fakes.ts";

// What ChatClient reports beyond the connection lifecycle tested in chat-client.test.ts.

describe("events", () => {
  test("every socket after the first resumes after the last event applied; replayed repeats are not applied twice", () => {
    const { client, server, goLive } = chatClientHarness();
    const chunks: string[] = [];
    const readies: boolean[] = [];
    client.on("delta", (delta) => chunks.push(delta.text));
    client.on("ready", (ready) => readies.push(ready.resumed));
    const first = goLive();
    expect(first.url).toBe("ws://localhost/ws/chat/c1");
    first.receive({ type: "message.delta", seq: 1, messageId: "m1", text: "a" });
    first.receive({ type: "message.delta", seq: 2, messageId: "m1", text: "b" });
    first.serverClose(1006);
    client.reconnectNow();
    expect(server.latest().url).toBe("ws://localhost/ws/chat/c1?lastSeq=2&epoch=e1");
    const second = goLive(sessionReady({ lastSeq: 2 }));
    second.receive({ type: "message.delta", seq: 2, messageId: "m1", text: "b" });
    second.receive({ type: "message.delta", seq: 3, messageId: "m1", text: "c" });

    expect(chunks).toEqual(["a", "b", "c"]);
    expect(readies).toEqual([false, true]);
  });

  test("the first socket resumes where the loaded history ends (resumeFrom)", () => {
    const { client, server, goLive } = chatClientHarness({ resumeFrom: { epoch: "e7", lastSeq: 41 } });
    const seen: string[] = [];
    client.on("delta", (delta) => seen.push(`${delta.seq}:${delta.text}`));
    client.connect();
    expect(server.latest().url).toBe("ws://localhost/ws/chat/c1?lastSeq=41&epoch=e7");
    const socket = goLive(sessionReady({ epoch: "e7", lastSeq: 41 }));
    socket.receive({ type: "message.delta", seq: 41, messageId: "m", text: "old" });
    socket.receive({ type: "message.delta", seq: 42, messageId: "m", text: "new" });
    expect(seen).toEqual(["42:new"]);
    expect(client.lastSeq).toBe(42);
  });

  test("session.reset moves the position back: the replay that follows is applied, and reported", () => {
    const { client, server, goLive } = chatClientHarness({ resumeFrom: { epoch: "old", lastSeq: 90 } });
    const resets: unknown[] = [];
    const seen: number[] = [];
    client.on("reset", (reset) => resets.push(reset));
    client.on("delta", (delta) => seen.push(delta.seq));
    client.on("messageReset", (reset) => seen.push(-reset.seq));
    client.connect();
    const socket = goLive(sessionReady({ epoch: "new", lastSeq: 3 }));
    socket.receive({ type: "session.reset", epoch: "new", lastSeq: 3 });
    socket.receive({ type: "message.reset", seq: 4, messageId: "m" });
    socket.receive({ type: "message.delta", seq: 5, messageId: "m", text: "x" });
    expect(resets).toEqual([{ type: "session.reset", epoch: "new", lastSeq: 3 }]);
    expect(seen).toEqual([-4, 5]);
    expect(client.epoch).toBe("new");
    socket.serverClose(1006);
    client.reconnectNow();
    expect(server.latest().url).toBe("ws://localhost/ws/chat/c1?lastSeq=5&epoch=new");
  });

  test("accepted and error frames reach listeners; unknown or malformed frames are dropped", () => {
    const { client, goLive } = chatClientHarness();
    const seen: string[] = [];
    client.on("accepted", (event) => seen.push(`accepted ${event.messageId}`));
    client.on("error", (event) => seen.push(`error ${event.code} ${event.clientMessageId}`));
    const socket = goLive();
    socket.receive("not json");
    socket.receive({ type: "tool.start" });
    socket.receive({ type: "session.reset", epoch: 1 });
    socket.receive({ type: "message.delta", seq: "1", messageId: "m", text: "x" });
    socket.receive({ type: "message.accepted", taskId: "t", clientMessageId: "x", messageId: "m9" });
    socket.receive({ type: "error", code: "rate_limited", message: "Slow down", retryable: true, clientMessageId: "x" });
    expect(seen).toEqual(["accepted m9", "error rate_limited x"]);
  });
});

describe("clientMessageId", () => {
  test("each message gets a fresh clientMessageId", () => {
    const { client, goLive } = chatClientHarness();
    goLive();
    const first = client.send("one");
    const second = client.send("two");
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).not.toBe(second);
  });
});
