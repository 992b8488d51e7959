import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CloseCode, type ErrorEvent } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import type { TestSocket } from "../helpers/ws.ts";

const MAX_FRAME_BYTES = 1024;
const MAX_MESSAGE_CHARS = 10;
const HARD_CAP_BYTES = 4096;

let agentd: TestAgentd;
let token: string;

beforeAll(async () => {
  agentd = await startTestAgentd({
    limits: { max_frame_bytes: MAX_FRAME_BYTES, max_message_chars: MAX_MESSAGE_CHARS },
    server: { max_payload_bytes: HARD_CAP_BYTES },
  });
  await agentd.addUser("frank");
  ({ token } = await agentd.login("frank"));
});
afterAll(() => agentd.close());

async function freshSocket(): Promise<TestSocket> {
  return agentd.connect(await agentd.createConversation(token), token);
}

/** A normal exchange on `socket` completes and is the only thing the model was asked since `before`. */
async function expectUsable(socket: TestSocket, before: number): Promise<void> {
  const reply = await sendAndCollect(socket, "still ok");
  expect(reply.end.reason).toBe("completed");
  expect(reply.text).toBe("echo: still ok");
  expect(agentd.model.chatRequests.length).toBe(before + 1);
  expect(socket.frames.filter((frame) => frame.type === "message.accepted")).toHaveLength(1);
}

/**
 * Sends one bad frame on a fresh socket, expects `error bad_request` for it, then proves the same
 * socket still works and the bad frame never reached the model. Returns the error frame.
 */
async function rejectedThenUsable(frame: string | Uint8Array): Promise<ErrorEvent> {
  const socket = await freshSocket();
  const before = agentd.model.chatRequests.length;
  socket.sendRaw(frame);
  const error = await socket.next("error");
  expect(error.code).toBe("bad_request");
  expect(error.retryable).toBe(false);
  await expectUsable(socket, before);
  expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  socket.close();
  return error;
}

/** `message` serialized and padded with JSON whitespace to exactly `bytes` UTF-8 bytes. */
function padTo(message: unknown, bytes: number): string {
  const json = JSON.stringify(message);
  return json + " ".repeat(bytes - Buffer.byteLength(json));
}

describe("a bad frame gets error bad_request and the socket stays usable", () => {
  test("a frame over limits.max_frame_bytes (but under the hard cap)", async () => {
    const error = await rejectedThenUsable(padTo({ type: "message.send", clientMessageId: "big", content: "hi" }, 2000));
    expect(error.message).toContain(String(MAX_FRAME_BYTES));
  });

  test("the frame limit counts UTF-8 bytes: exactly the limit passes, one byte more fails", async () => {
    const content = "€".repeat(MAX_MESSAGE_CHARS); // 3 bytes each in UTF-8, 1 UTF-16 unit each
    const socket = await freshSocket();
    socket.sendRaw(padTo({ type: "message.send", clientMessageId: "at-limit", content }, MAX_FRAME_BYTES));
    expect((await socket.next("message.accepted")).clientMessageId).toBe("at-limit");
    expect((await socket.next("message.end")).reason).toBe("completed");
    socket.close();

    const over = padTo({ type: "message.send", clientMessageId: "over-limit", content }, MAX_FRAME_BYTES + 1);
    expect(over.length).toBeLessThan(MAX_FRAME_BYTES); // only its byte length is over
    expect((await rejectedThenUsable(over)).message).toContain(String(MAX_FRAME_BYTES));
  });

  test("malformed JSON", async () => {
    expect((await rejectedThenUsable('{"type":"message.send",')).message).toContain("JSON");
  });

  test("an unknown type", async () => {
    expect((await rejectedThenUsable(JSON.stringify({ type: "message.delete", clientMessageId: "u1" }))).message).toContain("type");
  });

  test("a frame without a type", async () => {
    await rejectedThenUsable(JSON.stringify({ clientMessageId: "n1", content: "hi" }));
  });

  test("a message.send without clientMessageId names the field", async () => {
    expect((await rejectedThenUsable(JSON.stringify({ type: "message.send", content: "hi" }))).message).toContain("clientMessageId");
  });

  test("a message.send with content of the wrong type names the field and carries its clientMessageId", async () => {
    const error = await rejectedThenUsable(JSON.stringify({ type: "message.send", clientMessageId: "wrong-type", content: 42 }));
    expect(error.message).toContain("content");
    expect(error.clientMessageId).toBe("wrong-type");
  });

  test("a message.send with an unknown extra field", async () => {
    await rejectedThenUsable(JSON.stringify({ type: "message.send", clientMessageId: "extra", content: "hi", priority: 1 }));
  });

  test("a binary frame, even one holding valid JSON", async () => {
    const error = await rejectedThenUsable(new TextEncoder().encode(JSON.stringify({ type: "ping" })));
    expect(error.message.toLowerCase()).toContain("binary");
  });

  test("empty and whitespace-only content carry their clientMessageId", async () => {
    for (const [clientMessageId, content] of [["empty", ""], ["blank", " \n\t  "]] as const) {
      const error = await rejectedThenUsable(JSON.stringify({ type: "message.send", clientMessageId, content }));
      expect(error.clientMessageId).toBe(clientMessageId);
    }
  });

  test("__proto__ keys are refused and pollute nothing", async () => {
    const polluting = '{"type":"message.send","clientMessageId":"proto","content":"hi","__proto__":{"polluted":"yes"}}';
    await rejectedThenUsable(polluting);
    // `{"__proto__": {"type": "ping"}}` must not pass for a ping through an inherited `type`.
    await rejectedThenUsable('{"__proto__":{"type":"ping"}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("limits.max_message_chars counts Unicode code points", () => {
  test(`${MAX_MESSAGE_CHARS} emoji (${2 * MAX_MESSAGE_CHARS} UTF-16 units) are accepted and answered`, async () => {
    const emoji = "😀".repeat(MAX_MESSAGE_CHARS);
    expect(emoji.length).toBe(2 * MAX_MESSAGE_CHARS);
    const socket = await freshSocket();
    const reply = await sendAndCollect(socket, emoji);
    expect(reply.end.reason).toBe("completed");
    expect(reply.text).toBe(`echo: ${emoji}`);
    socket.close();
  });

  test(`${MAX_MESSAGE_CHARS + 1} emoji are refused with the limit, the clientMessageId, and no model call`, async () => {
    const content = "😀".repeat(MAX_MESSAGE_CHARS + 1);
    const error = await rejectedThenUsable(JSON.stringify({ type: "message.send", clientMessageId: "too-long", content }));
    expect(error.clientMessageId).toBe("too-long");
    expect(error.message).toContain(String(MAX_MESSAGE_CHARS));
  });
});

describe("the hard frame cap (server.max_payload_bytes)", () => {
  test("a larger frame closes that socket with 1009; other sockets keep working", async () => {
    const victim = await freshSocket();
    const bystander = await freshSocket();
    const before = agentd.model.chatRequests.length;
    victim.sendRaw(padTo({ type: "ping" }, HARD_CAP_BYTES + 1000));
    expect((await victim.closed).code).toBe(CloseCode.messageTooBig);
    await expectUsable(bystander, before);
    bystander.close();
    // Reconnecting is allowed after a 1009.
    const again = await freshSocket();
    again.send({ type: "ping" });
    await again.next("pong");
    again.close();
  });
});

describe("session", () => {
  test("ping gets pong", async () => {
    const socket = await freshSocket();
    socket.send({ type: "ping" });
    expect(await socket.next("pong")).toEqual({ type: "pong" });
    socket.close();
  });

  test("session.ready announces the configured limits", async () => {
    const socket = await freshSocket();
    const ready = socket.frames[0];
    expect(ready?.type).toBe("session.ready");
    expect(ready?.type === "session.ready" && ready.limits).toEqual({
      maxMessageChars: MAX_MESSAGE_CHARS,
      maxFrameBytes: MAX_FRAME_BYTES,
    });
    socket.close();
  });
});
