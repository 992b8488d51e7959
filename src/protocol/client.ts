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

/** Lets a paused tool call run (after `tool.confirm`). Acknowledged with `message.accepted` (clientMessageId `tool:<toolCallId>`). */
export const ToolApprove = z.strictObject({ type: z.literal("tool.approve"), toolCallId: z.string().min(1).max(128) });

/** Refuses a paused tool call; the agent is told (with the optional reason) and answers. */
export const ToolReject = z.strictObject({
  type: z.literal("tool.reject"),
  toolCallId: z.string().min(1).max(128),
  reason: z.string().max(500).optional(),
});

/** Stop the reply of task `taskId` (from `message.accepted`): its model request is aborted at once. */
export const MessageCancel = z.strictObject({ type: z.literal("message.cancel"), taskId: z.string().min(1).max(128) });

/** Hands the socket a newer access token (from `POST /api/auth/refresh`) before the current one expires. */
export const AuthRefresh = z.strictObject({ type: z.literal("auth.refresh"), token: z.string().min(1).max(8192) });

/** "Blocked in error?": keep the blocked message `clientMessageId` of this conversation for an admin to review. */
export const GuardReport = z.strictObject({
  type: z.literal("guard.report"),
  clientMessageId: z.string().min(1).max(128),
});

export const ClientMessage = z.discriminatedUnion("type", [MessageSend, Ping, MessageCancel, ToolApprove, ToolReject, AuthRefresh, GuardReport]);

export type MessageSend = z.infer<typeof MessageSend>;
export type ToolApprove = z.infer<typeof ToolApprove>;
export type ToolReject = z.infer<typeof ToolReject>;
export type AuthRefresh = z.infer<typeof AuthRefresh>;
export type ClientMessage = z.infer<typeof ClientMessage>;
export type MessageCancel = z.infer<typeof MessageCancel>;
export type GuardReport = z.infer<typeof GuardReport>;
