import { describe, expect, test } from "bun:test";
import { chatClientHarness, sessionReady } from "./fakes.ts";

// What ChatClient reports beyond the connection lifecycle tested in chat-client.test.ts.

describe("events", () => {
  test("after a reconnect in the same epoch, replayed events are not applied twice", () => {
    const { client, goLive } = chatClientHarness();
    const chunks: string[] = [];
    const readies: boolean[] = [];
    client.on("delta", (delta) => chunks.push(delta.text));
    client.on("ready", (ready) => readies.push(ready.missedEvents));
    const first = goLive();
    first.receive({ type: "message.delta", seq: 1, messageId: "m1", text: "a" });
    first.receive({ type: "message.delta", seq: 2, messageId: "m1", text: "b" });
    first.serverClose(1006);
    client.reconnectNow();
    const second = goLive(sessionReady({ lastSeq: 2 }));
    second.receive({ type: "message.delta", seq: 2, messageId: "m1", text: "b" });
    second.receive({ type: "message.delta", seq: 3, messageId: "m1", text: "c" });

    expect(chunks).toEqual(["a", "b", "c"]);
    expect(readies).toEqual([false, false]);
  });

  test("session.ready reports missed events: a higher lastSeq, or a new epoch", () => {
    const { client, server, goLive } = chatClientHarness();
    const readies: boolean[] = [];
    client.on("ready", (ready) => readies.push(ready.missedEvents));
    goLive();
    server.latest().serverClose(1006);
    client.reconnectNow();
    goLive(sessionReady({ lastSeq: 3 }));
    expect(client.lastSeq).toBe(3);
    server.latest().serverClose(1006);
    client.reconnectNow();
    goLive(sessionReady({ epoch: "e2", lastSeq: 1 }));
    expect(readies).toEqual([false, true, true]);
    expect(client.epoch).toBe("e2");
    expect(client.lastSeq).toBe(1);
  });

  test("accepted and error frames reach listeners; unknown or malformed frames are dropped", () => {
    const { client, goLive } = chatClientHarness();
    const seen: string[] = [];
    client.on("accepted", (event) => seen.push(`accepted ${event.messageId}`));
    client.on("error", (event) => seen.push(`error ${event.code} ${event.clientMessageId}`));
    const socket = goLive();
    socket.receive("not json");
    socket.receive({ type: "tool.start" });
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
