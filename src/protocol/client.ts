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

/** Stop the reply of task `taskId` (from `message.accepted`): its model request is aborted at once. */
export const MessageCancel = z.strictObject({ type: z.literal("message.cancel"), taskId: z.string().min(1).max(128) });

export const ClientMessage = z.discriminatedUnion("type", [MessageSend, Ping, MessageCancel]);

export type MessageSend = z.infer<typeof MessageSend>;
export type ClientMessage = z.infer<typeof ClientMessage>;
export type MessageCancel = z.infer<typeof MessageCancel>;
