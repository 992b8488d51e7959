import type { ServerMessage } from "../../src/protocol/index.ts";

/**
 * What a client following docs/protocol.md shows for each reply: deltas append, `message.reset`
 * discards the message's text, `message.end` closes it. Returns text by messageId, the last seq
 * applied, and how many ends each message got.
 */
export function applyFrames(frames: readonly ServerMessage[], into = { text: new Map<string, string>(), ends: new Map<string, number>(), lastSeq: 0 }) {
  for (const frame of frames) {
    if (frame.type === "session.ready" || frame.type === "session.reset") into.lastSeq = frame.lastSeq;
    if (frame.type !== "message.delta" && frame.type !== "message.reset" && frame.type !== "message.end") continue;
    if (frame.seq <= into.lastSeq) throw new Error(`seq ${frame.seq} arrived after ${into.lastSeq}: a duplicate or out of order`);
    into.lastSeq = frame.seq;
    if (frame.type === "message.delta") into.text.set(frame.messageId, (into.text.get(frame.messageId) ?? "") + frame.text);
    if (frame.type === "message.reset") into.text.set(frame.messageId, "");
    if (frame.type === "message.end") into.ends.set(frame.messageId, (into.ends.get(frame.messageId) ?? 0) + 1);
  }
  return into;
}
