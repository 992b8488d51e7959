import type { ClientMessage, SessionReady } from "../../src/protocol/index.ts";
import { codePointLength } from "./code-points.ts";

export type SendRefusal = "not_connected" | "empty" | "too_long";

/** Thrown when a frame cannot go out; nothing was sent. */
export class SendRefusedError extends Error {
  readonly code: SendRefusal;

  constructor(code: SendRefusal, message: string) {
    super(message);
    this.name = "SendRefusedError";
    this.code = code;
  }
}

/**
 * The `message.send` frame for `content`, checked against the limits of `session.ready` in the
 * server's units (code points; bytes for the frame).
 * @throws SendRefusedError when `content` is empty or too long.
 */
export function messageSendFrame(content: string, clientMessageId: string, limits: SessionReady["limits"]): string {
  const length = codePointLength(content);
  if (length === 0) throw new SendRefusedError("empty", "The message is empty.");
  const max = limits.maxMessageChars;
  if (length > max) throw new SendRefusedError("too_long", `The message is ${length} characters long; the limit is ${max}.`);
  const frame = JSON.stringify({ type: "message.send", clientMessageId, content } satisfies ClientMessage);
  if (new TextEncoder().encode(frame).length > limits.maxFrameBytes) {
    throw new SendRefusedError("too_long", "The message is too large to send.");
  }
  return frame;
}
