import { describe, expect, test } from "bun:test";
import { backoffDelay } from "../../ui/src/backoff.ts";
import {
  CONNECT_TIMEOUT_MS,
  HEARTBEAT_INTERVAL_MS,
  PONG_TIMEOUT_MS,
  SendRefusedError,
} from "../../ui/src/chat-client.ts";
import { chatClientHarness, sessionReady } from "./fakes.ts";

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("reconnect backoff", () => {
  test("waits 1, 2, 4, 8, 16, 30, 30 s (each within its jitter bound) between failed attempts", () => {
    const { client, server, timers, statuses } = chatClientHarness();
    client.connect();
    expect(statuses).toEqual([{ state: "connecting" }]);
    server.latest().serverClose(1006);

    const expectedSeconds = [1, 2, 4, 8, 16, 30, 30];
    for (const [index, seconds] of expectedSeconds.entries()) {
      const attempt = index + 1;
      expect(client.status).toEqual(attempt <= 5 ? { state: "reconnecting", attempt } : { state: "offline", reason: "unreachable" });
      const waits = timers.pendingTimeouts();
      expect(waits).toHaveLength(1);
      const delay = waits[0]!;
      expect(delay).toBeGreaterThanOrEqual(seconds * 1000 * 0.8);
      expect(delay).toBeLessThanOrEqual(seconds * 1000);

      timers.advance(delay - 1);
      expect(server.sockets).toHaveLength(attempt);
      timers.advance(1);
      expect(server.sockets).toHaveLength(attempt + 1);
      server.latest().serverClose(1006);
    }
  });

  test("jitter only ever shortens the delay, by at most 20 %", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, () => 0))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, () => 1))).toEqual([
      800, 1600, 3200, 6400, 12800, 24000, 24000,
    ]);
  });

  test("a session.ready resets the sequence to 1 s", () => {
    const { client, server, timers, goLive } = chatClientHarness({ random: () => 0 });
    client.connect();
    server.latest().serverClose(1006);
    timers.advance(1000);
    server.latest().serverClose(1006);
    expect(timers.pendingTimeouts()).toEqual([2000]);
    timers.advance(2000);
    goLive();
    expect(client.status).toEqual({ state: "live" });

    server.latest().serverClose(1001);
    expect(client.status).toEqual({ state: "reconnecting", attempt: 1 });
    expect(timers.pendingTimeouts()).toEqual([1000]);
  });

  test.each([1001, 1006, 1009, 1011, 1013])("close code %d reconnects", (code) => {
    const { client, server, timers, goLive } = chatClientHarness({ random: () => 0 });
    goLive();
    server.latest().serverClose(code);
    expect(client.status).toEqual({ state: "reconnecting", attempt: 1 });
    timers.advance(1000);
    expect(server.sockets).toHaveLength(2);
  });

  test("no session.ready within 10 s abandons the socket and reconnects", () => {
    const { client, server, timers } = chatClientHarness({ random: () => 0 });
    client.connect();
    const first = server.latest();
    first.open();
    timers.advance(CONNECT_TIMEOUT_MS - 1);
    expect(first.closedByClient).toBeNull();
    timers.advance(1);
    expect(first.closedByClient).not.toBeNull();
    expect(first.hasListeners()).toBe(false);
    expect(client.status).toEqual({ state: "reconnecting", attempt: 1 });
    timers.advance(1000);
    expect(server.sockets).toHaveLength(2);
  });

  test("after 5 failed attempts in a row: Offline, retries every 30 s, Reconnect now works, success goes live", () => {
    const { client, server, timers, statuses, goLive } = chatClientHarness({ random: () => 0 });
    goLive();
    server.latest().serverClose(1006);
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(client.status).toEqual({ state: "reconnecting", attempt });
      timers.advance(timers.pendingTimeouts()[0]!);
      server.latest().serverClose(1006);
    }
    expect(client.status).toEqual({ state: "offline", reason: "unreachable" });
    expect(statuses.filter((status) => status.state === "offline")).toHaveLength(1);
    // Still trying, every 30 s, without flickering back to "reconnecting".
    for (let retry = 0; retry < 3; retry++) {
      expect(timers.pendingTimeouts()).toEqual([30_000]);
      const before = server.sockets.length;
      timers.advance(30_000);
      expect(server.sockets).toHaveLength(before + 1);
      server.latest().serverClose(1006);
      expect(client.status).toEqual({ state: "offline", reason: "unreachable" });
    }
    client.reconnectNow();
    expect(client.status).toEqual({ state: "connecting" });
    expect(timers.pendingTimeouts()).toEqual([10_000]);
    goLive();
    expect(client.status).toEqual({ state: "live" });
    server.latest().serverClose(1006);
    expect(client.status).toEqual({ state: "reconnecting", attempt: 1 });
  });

  test("the URL is asked for again on every attempt (a renewed token goes in the query)", () => {
    let token = "first";
    const { client, server, timers } = chatClientHarness({ url: () => `ws://localhost/ws/chat/c1?token=${token}`, random: () => 0 });
    client.connect();
    expect(server.latest().url).toBe("ws://localhost/ws/chat/c1?token=first");
    token = "second";
    server.latest().serverClose(1006);
    timers.advance(1000);
    expect(server.latest().url).toBe("ws://localhost/ws/chat/c1?token=second");
  });

  test("reconnectNow skips the wait", () => {
    const { client, server, goLive } = chatClientHarness();
    goLive();
    server.latest().serverClose(1006);
    client.reconnectNow();
    expect(server.sockets).toHaveLength(2);
    client.reconnectNow();
    expect(server.sockets).toHaveLength(2);
  });
});

describe("heartbeat", () => {
  test("pings every 30 s and reconnects when no pong comes within 60 s", () => {
    const { client, server, timers, goLive } = chatClientHarness({ random: () => 0 });
    const socket = goLive();

    timers.advance(HEARTBEAT_INTERVAL_MS);
    expect(socket.sentMessages()).toEqual([{ type: "ping" }]);
    timers.advance(PONG_TIMEOUT_MS - 1);
    expect(socket.closedByClient).toBeNull();
    expect(client.status).toEqual({ state: "live" });

    timers.advance(1);
    expect(socket.closedByClient).not.toBeNull();
    expect(socket.hasListeners()).toBe(false);
    expect(client.status).toEqual({ state: "reconnecting", attempt: 1 });
    timers.advance(1000);
    expect(server.sockets).toHaveLength(2);
  });

  test("a connection that answers pings stays up", () => {
    const { client, server, timers, goLive } = chatClientHarness();
    const socket = goLive();
    for (let i = 0; i < 20; i++) {
      timers.advance(HEARTBEAT_INTERVAL_MS);
      socket.receive({ type: "pong" });
    }
    expect(socket.sentMessages().filter((m) => m.type === "ping")).toHaveLength(20);
    expect(socket.closedByClient).toBeNull();
    expect(server.sockets).toHaveLength(1);
    expect(client.status).toEqual({ state: "live" });
  });
});

describe("duplicate events", () => {
  test("a delta or end whose seq was already applied is ignored", () => {
    const { client, goLive } = chatClientHarness();
    let text = "";
    const ends: number[] = [];
    client.on("delta", (delta) => (text += delta.text));
    client.on("end", (end) => ends.push(end.seq));
    const socket = goLive(sessionReady({ lastSeq: 4 }));

    const delta = (seq: number, chunk: string) =>
      socket.receive({ type: "message.delta", seq, messageId: "m1", text: chunk });
    delta(4, "already in history");
    delta(5, "Hel");
    delta(6, "lo");
    delta(6, "lo");
    delta(5, "Hel");
    socket.receive({ type: "message.end", seq: 7, messageId: "m1", reason: "completed" });
    socket.receive({ type: "message.end", seq: 7, messageId: "m1", reason: "completed" });

    expect(text).toBe("Hello");
    expect(ends).toEqual([7]);
    expect(client.lastSeq).toBe(7);
    expect(client.epoch).toBe("e1");
  });

});

describe("close codes", () => {
  test("4004 goes offline as not found and never reconnects", () => {
    const { client, server, timers, goLive } = chatClientHarness();
    goLive();
    server.latest().serverClose(4004, "conversation not found");
    expect(client.status).toEqual({ state: "offline", reason: "not_found" });
    expect(timers.pending()).toBe(0);
    client.reconnectNow();
    timers.advance(10 * 60_000);
    expect(server.sockets).toHaveLength(1);
  });

  test("4009 (opened elsewhere) goes offline and waits for Reconnect now", () => {
    const { client, server, timers, goLive } = chatClientHarness();
    goLive();
    server.latest().serverClose(4009);
    expect(client.status).toEqual({ state: "offline", reason: "replaced" });
    expect(timers.pending()).toBe(0);
    timers.advance(10 * 60_000);
    expect(server.sockets).toHaveLength(1);
    client.reconnectNow();
    expect(server.sockets).toHaveLength(2);
  });

  test("4008 (a connection rule) goes offline and tries again after a minute or more, or at Reconnect now", () => {
    const { client, server, timers, goLive } = chatClientHarness({ random: () => 0 });
    goLive();
    server.latest().serverClose(4008, "too many sockets");
    expect(client.status).toEqual({ state: "offline", reason: "refused", detail: "too many sockets" });
    expect(timers.pendingTimeouts()).toEqual([60_000]);
    timers.advance(59_999);
    expect(server.sockets).toHaveLength(1);
    timers.advance(1);
    expect(server.sockets).toHaveLength(2);
    server.latest().serverClose(4008);
    client.reconnectNow();
    expect(server.sockets).toHaveLength(3);
    expect(timers.pending()).toBe(1); // the connect timeout of the new socket
  });

  test("1000 goes offline and does not reconnect by itself", () => {
    const { client, server, timers, goLive } = chatClientHarness();
    goLive();
    server.latest().serverClose(1000);
    expect(client.status).toEqual({ state: "offline", reason: "closed_by_server" });
    expect(timers.pending()).toBe(0);
    timers.advance(10 * 60_000);
    expect(server.sockets).toHaveLength(1);
  });

  test("4001 calls refreshToken once, then reconnects", async () => {
    let refreshes = 0;
    const { client, server } = chatClientHarness({
      refreshToken: async () => {
        refreshes++;
        return true;
      },
    });
    client.connect();
    server.latest().serverClose(4001);
    expect(client.status.state).toBe("reconnecting");
    await flushPromises();
    expect(refreshes).toBe(1);
    expect(server.sockets).toHaveLength(2);

    // A second 4001 before any session.ready means the refresh did not help: stop.
    server.latest().serverClose(4001);
    await flushPromises();
    expect(refreshes).toBe(1);
    expect(server.sockets).toHaveLength(2);
    expect(client.status).toEqual({ state: "offline", reason: "unauthenticated" });
  });

  test("4001 after a successful session may refresh again", async () => {
    let refreshes = 0;
    const { server, goLive } = chatClientHarness({ refreshToken: async () => (refreshes++, true) });
    goLive();
    server.latest().serverClose(4001);
    await flushPromises();
    goLive();
    server.latest().serverClose(4001);
    await flushPromises();
    expect(refreshes).toBe(2);
    expect(server.sockets).toHaveLength(3);
  });

  test("4001 with a failed refresh goes offline as unauthenticated", async () => {
    const { client, server, timers } = chatClientHarness({ refreshToken: async () => false });
    client.connect();
    server.latest().serverClose(4001);
    await flushPromises();
    expect(client.status).toEqual({ state: "offline", reason: "unauthenticated" });
    expect(timers.pending()).toBe(0);
    expect(server.sockets).toHaveLength(1);
  });

  test("4001 without a refreshToken goes offline as unauthenticated", () => {
    const { client, server } = chatClientHarness();
    client.connect();
    server.latest().serverClose(4001);
    expect(client.status).toEqual({ state: "offline", reason: "unauthenticated" });
  });
});

describe("close()", () => {
  test("while live: clears every timer and listener, closes with 1000, never reconnects", () => {
    const { client, server, timers, statuses, goLive } = chatClientHarness();
    let deltas = 0;
    client.on("delta", () => deltas++);
    const socket = goLive();
    timers.advance(HEARTBEAT_INTERVAL_MS); // a ping is out, so the pong deadline is armed too
    expect(timers.pending()).toBe(2);

    client.close();
    expect(timers.pending()).toBe(0);
    expect(socket.closedByClient?.code).toBe(1000);
    expect(socket.hasListeners()).toBe(false);
    expect(statuses.at(-1)).toEqual({ state: "closed" });

    socket.serverClose(1006);
    socket.receive({ type: "message.delta", seq: 1, messageId: "m", text: "late" });
    timers.advance(10 * 60_000);
    client.reconnectNow();
    client.connect();
    expect(server.sockets).toHaveLength(1);
    expect(deltas).toBe(0);
    expect(statuses.at(-1)).toEqual({ state: "closed" });
  });

  test("while waiting to reconnect: the reconnect timer is cancelled", () => {
    const { client, server, timers } = chatClientHarness();
    client.connect();
    server.latest().serverClose(1006);
    expect(timers.pending()).toBe(1);
    client.close();
    expect(timers.pending()).toBe(0);
    timers.advance(10 * 60_000);
    expect(server.sockets).toHaveLength(1);
  });

  test("while connecting: the connect timeout is cancelled", () => {
    const { client, server, timers } = chatClientHarness();
    client.connect();
    client.close();
    expect(timers.pending()).toBe(0);
    expect(server.latest().closedByClient?.code).toBe(1000);
  });

  test("while a 4001 refresh is in flight: no socket is opened when it resolves", async () => {
    let resolveRefresh: (value: boolean) => void = () => {};
    const { client, server, timers } = chatClientHarness({
      refreshToken: () => new Promise<boolean>((resolve) => (resolveRefresh = resolve)),
    });
    client.connect();
    server.latest().serverClose(4001);
    client.close();
    resolveRefresh(true);
    await flushPromises();
    expect(server.sockets).toHaveLength(1);
    expect(timers.pending()).toBe(0);
    expect(client.status).toEqual({ state: "closed" });
  });
});

describe("send", () => {
  test("counts Unicode code points against limits.maxMessageChars", () => {
    const { client, goLive } = chatClientHarness();
    const socket = goLive(sessionReady({ limits: { maxMessageChars: 5, maxFrameBytes: 65_536 } }));

    // Five emoji are ten UTF-16 code units but five code points: allowed.
    expect("😀😀😀😀😀".length).toBe(10);
    const id = client.send("😀😀😀😀😀");
    expect(socket.sentMessages()).toEqual([{ type: "message.send", clientMessageId: id, content: "😀😀😀😀😀" }]);
    client.send("abcde");

    const refusal = (content: string) => {
      try {
        client.send(content);
      } catch (error) {
        return error instanceof SendRefusedError ? error.code : "other";
      }
      return "sent";
    };
    expect(refusal("😀😀😀😀😀😀")).toBe("too_long");
    expect(refusal("abcdef")).toBe("too_long");
    expect(refusal("")).toBe("empty");
    expect(socket.sent).toHaveLength(2);
  });

  test("is refused until session.ready and while reconnecting", () => {
    const { client, server } = chatClientHarness();
    expect(() => client.send("hi")).toThrow(SendRefusedError);
    client.connect();
    server.latest().open();
    expect(() => client.send("hi")).toThrow(SendRefusedError);
    server.latest().receive(sessionReady());
    client.send("hi");
    server.latest().serverClose(1006);
    expect(() => client.send("hi")).toThrow(SendRefusedError);
  });
});
