import { expect, test } from "bun:test";
import type { Connection, SendStatus } from "../../src/chat/connection.ts";
import { Outbox } from "../../src/chat/outbox.ts";
import type { ServerMessage } from "../../src/protocol/index.ts";

/** A connection whose next send results the test decides, like Bun's send under backpressure. */
function connection(results: SendStatus[]) {
  const sent: ServerMessage[] = [];
  const closes: number[] = [];
  let buffered = 0;
  const conn: Connection = {
    send: (message) => (sent.push(message), results.shift() ?? "sent"),
    close: (code) => void closes.push(code),
    bufferedAmount: () => buffered,
  };
  return { conn, sent, closes, setBuffered: (bytes: number) => (buffered = bytes) };
}

const delta = (seq: number, text: string, messageId = "m"): ServerMessage => ({ type: "message.delta", seq, messageId, text });

test("under backpressure deltas of one message are merged under the last seq and sent on drain, in order", () => {
  const { conn, sent, closes } = connection(["queued"]);
  const outbox = new Outbox(conn, 10_000);
  outbox.send(delta(1, "a"));
  outbox.send(delta(2, "b"));
  outbox.send(delta(3, "c"));
  outbox.send({ type: "message.end", seq: 4, messageId: "m", reason: "completed" });
  outbox.send(delta(5, "x", "other"));
  expect(sent).toHaveLength(1);
  expect(outbox.waitingBytes).toBeGreaterThan(0);
  outbox.drain();
  expect(sent).toEqual([delta(1, "a"), delta(3, "bc"), { type: "message.end", seq: 4, messageId: "m", reason: "completed" }, delta(5, "x", "other")]);
  expect(outbox.waitingBytes).toBe(0);
  expect(closes).toEqual([]);
});

test("a drain that meets backpressure again stops and waits for the next drain", () => {
  const { conn, sent } = connection(["queued", "queued"]);
  const outbox = new Outbox(conn, 10_000);
  outbox.send(delta(1, "a"));
  outbox.send({ type: "pong" });
  outbox.send(delta(2, "b"));
  outbox.drain();
  expect(sent.map((m) => m.type)).toEqual(["message.delta", "pong"]);
  outbox.drain();
  expect(sent.map((m) => m.type)).toEqual(["message.delta", "pong", "message.delta"]);
});

test("past the limit (waiting here plus buffered in the transport) the socket closes with 1013 and sends nothing more", () => {
  const { conn, sent, closes, setBuffered } = connection(["queued"]);
  const outbox = new Outbox(conn, 1_000);
  outbox.send(delta(1, "a"));
  setBuffered(900);
  outbox.send(delta(2, "b".repeat(40)));
  expect(closes).toEqual([1013]);
  outbox.send(delta(3, "c"));
  outbox.drain();
  expect(sent).toHaveLength(1);
});

test("a frame the transport dropped closes the socket with 1013: the client resumes instead of missing it", () => {
  const { conn, closes } = connection(["dropped"]);
  new Outbox(conn, 1_000).send(delta(1, "a"));
  expect(closes).toEqual([1013]);
});
