import { z } from "zod";
import { AppError } from "../errors.ts";
import { ClientMessage } from "../protocol/index.ts";

/**
 * The one place client frames are checked: size before parsing, then JSON, then the protocol
 * schema. Throws AppError `bad_request` with a sentence saying what was wrong.
 */
export function parseClientFrame(raw: string | Buffer | ArrayBuffer | Uint8Array, maxFrameBytes: number): ClientMessage {
  if (typeof raw !== "string") throw new AppError("bad_request", "Binary frames are not supported; send JSON text frames.");
  // UTF-16 length bounds the UTF-8 size from below, and 3× bounds it from above; count exactly only in between.
  if (raw.length > maxFrameBytes || (raw.length * 3 > maxFrameBytes && Buffer.byteLength(raw) > maxFrameBytes)) {
    throw new AppError("bad_request", `The frame is larger than ${maxFrameBytes} bytes.`, { details: { maxFrameBytes } });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError("bad_request", "The frame is not valid JSON.");
  }
  const parsed = ClientMessage.safeParse(json);
  if (!parsed.success) {
    // Echo the clientMessageId of a readable but invalid message.send, so the client knows which one failed.
    const clientMessageId = (json as { clientMessageId?: unknown } | null)?.clientMessageId;
    const details = typeof clientMessageId === "string" && clientMessageId.length <= 128 ? { clientMessageId } : undefined;
    throw new AppError("bad_request", describeIssue(parsed.error), { details });
  }
  return parsed.data;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "The frame is not a valid message.";
  if (issue.code === "invalid_union" && issue.path.length === 0) return "The frame's `type` is missing or unknown.";
  if (issue.path[0] === "type") return "The frame's `type` is missing or unknown.";
  const where = issue.path.length ? `\`${issue.path.join(".")}\`` : "The frame";
  return `${where}: ${issue.message}`;
}

/** Unicode code points in `text` — the unit of `limits.max_message_chars`. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
