import type { ServerMessage } from "../../src/protocol/index.ts";

// The server validates what it sends against the zod schemas in src/protocol; the UI only checks
// the fields it relies on, so the page does not ship zod.

type Fields = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === "string";
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

const requiredFields: Record<ServerMessage["type"], (frame: Fields) => boolean> = {
  "session.ready": (f) =>
    isString(f.conversationId) &&
    isString(f.epoch) &&
    isNumber(f.lastSeq) &&
    typeof f.limits === "object" &&
    f.limits !== null &&
    isNumber((f.limits as Fields).maxMessageChars),
  "message.accepted": (f) => isString(f.clientMessageId) && isString(f.messageId),
  "message.delta": (f) => isNumber(f.seq) && isString(f.messageId) && isString(f.text),
  "message.end": (f) => isNumber(f.seq) && isString(f.messageId) && isString(f.reason),
  error: (f) => isString(f.code) && isString(f.message),
  pong: () => true,
  "tool.start": (f) => isNumber(f.seq) && isString(f.messageId) && isString(f.toolCallId) && isString(f.name),
  "tool.end": (f) => isNumber(f.seq) && isString(f.messageId) && isString(f.toolCallId) && typeof f.ok === "boolean",
  "tool.confirm": (f) => isNumber(f.seq) && isString(f.messageId) && isString(f.toolCallId) && isString(f.name),
  "message.reset": (f) => isNumber(f.seq) && isString(f.messageId),
  "session.reset": (f) => isString(f.epoch) && isNumber(f.lastSeq),
  "auth.refreshed": (f) => isString(f.expiresAt),
  "guard.reported": (f) => isString(f.clientMessageId) && isString(f.reportId),
};

/** Parses one text frame from the server; null when it is not JSON or not a message this client knows. */
export function parseServerFrame(data: unknown): ServerMessage | null {
  if (!isString(data)) return null;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof frame !== "object" || frame === null) return null;
  const type = (frame as Fields).type;
  if (!isString(type) || !Object.hasOwn(requiredFields, type)) return null;
  return requiredFields[type as ServerMessage["type"]](frame as Fields) ? (frame as ServerMessage) : null;
}
