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

/** Hands the socket a newer access token (from `POST /api/auth/refresh`) before the current one expires. */
export const AuthRefresh = z.strictObject({ type: z.literal("auth.refresh"), token: z.string().min(1).max(8192) });

export const ClientMessage = z.discriminatedUnion("type", [MessageSend, Ping, AuthRefresh]);

export type MessageSend = z.infer<typeof MessageSend>;
export type AuthRefresh = z.infer<typeof AuthRefresh>;
export type ClientMessage = z.infer<typeof ClientMessage>;
