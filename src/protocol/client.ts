import { z } from "zod";

/** Messages a client sends over `/ws/chat/:conversationId`. Validated at the socket boundary only. */

export const MessageSend = z.strictObject({
  type: z.literal("message.send"),
  /** Chosen by the client, unique per message; a repeat is not run again (idempotent send). */
  clientMessageId: z.string().min(1).max(128),
  /** 1..limits.max_message_chars Unicode code points; the length check happens in the server. */
  content: z.string(),
});

export const Ping = z.strictObject({ type: z.literal("ping") });

/** "Blocked in error?": keep the blocked message `clientMessageId` of this conversation for an admin to review. */
export const GuardReport = z.strictObject({
  type: z.literal("guard.report"),
  clientMessageId: z.string().min(1).max(128),
});

export const ClientMessage = z.discriminatedUnion("type", [MessageSend, Ping, GuardReport]);

export type MessageSend = z.infer<typeof MessageSend>;
export type ClientMessage = z.infer<typeof ClientMessage>;
export type GuardReport = z.infer<typeof GuardReport>;
