import { z } from "zod";

/** Messages the server sends over `/ws/chat/:conversationId`. */

export const EndReason = z.enum(["completed", "cancelled", "timeout", "failed"]);

export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
});

export const WireError = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});

export const SessionReady = z.object({
  type: z.literal("session.ready"),
  conversationId: z.string(),
  userId: z.string(),
  /** Names the event history that `seq` numbers belong to; changes when that history was lost. */
  epoch: z.string(),
  /** The seq of the last conversation event the server has sent so far (0 when none). */
  lastSeq: z.number().int().nonnegative(),
  limits: z.object({ maxMessageChars: z.number().int().positive(), maxFrameBytes: z.number().int().positive() }),
});

export const MessageAccepted = z.object({
  type: z.literal("message.accepted"),
  taskId: z.string(),
  clientMessageId: z.string(),
  /** The id of the assistant reply that will stream as `message.delta` events. */
  messageId: z.string(),
  /** The sender's message budget (`limits.messages_per_hour`) after this message; absent when there is no limit. */
  rateLimit: z.object({ limit: z.number().int().positive(), remaining: z.number().int().nonnegative(), resetAt: z.string() }).optional(),
});

export const MessageDelta = z.object({
  type: z.literal("message.delta"),
  seq: z.number().int().positive(),
  messageId: z.string(),
  text: z.string(),
});

export const MessageEnd = z.object({
  type: z.literal("message.end"),
  seq: z.number().int().positive(),
  messageId: z.string(),
  reason: EndReason,
  usage: Usage.optional(),
  error: WireError.optional(),
});

/** A tool call of the agent starts (e.g. "Creating project…"). */
export const ToolStart = z.object({
  type: z.literal("tool.start"),
  seq: z.number().int().positive(),
  messageId: z.string(),
  toolCallId: z.string(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
});

/** A tool call finished; `summary` is a short, displayable result or error. */
export const ToolEnd = z.object({
  type: z.literal("tool.end"),
  seq: z.number().int().positive(),
  messageId: z.string(),
  toolCallId: z.string(),
  name: z.string(),
  ok: z.boolean(),
  summary: z.string(),
});

/** The agent wants to run a tool that writes; it waits for `tool.approve` or `tool.reject`. */
export const ToolConfirm = z.object({
  type: z.literal("tool.confirm"),
  seq: z.number().int().positive(),
  messageId: z.string(),
  toolCallId: z.string(),
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
});

/** Discard what was shown of message `messageId`: a new attempt at the reply follows (a retry or a re-run after a crash). */
export const MessageReset = z.object({
  type: z.literal("message.reset"),
  seq: z.number().int().positive(),
  messageId: z.string(),
});

/**
 * The client's view of the conversation is stale (its `lastSeq` is older than the server keeps, or
 * the epoch changed): reload the conversation over HTTP. Events after `lastSeq` follow on this socket.
 */
export const SessionReset = z.object({
  type: z.literal("session.reset"),
  epoch: z.string(),
  lastSeq: z.number().int().nonnegative(),
});

export const ErrorEvent = WireError.extend({
  type: z.literal("error"),
  clientMessageId: z.string().optional(),
  /** With `input_blocked`: the input guard's category that blocked the message. */
  category: z.string().optional(),
});

/** The answer to `guard.report`: the blocked message was kept for an admin to review. */
export const GuardReported = z.object({
  type: z.literal("guard.reported"),
  clientMessageId: z.string(),
  reportId: z.string(),
});

export const Pong = z.object({ type: z.literal("pong") });

/** Answer to `auth.refresh`: the socket now lives until the new token's expiry. */
export const AuthRefreshed = z.object({ type: z.literal("auth.refreshed"), expiresAt: z.string() });

export const ServerMessage = z.discriminatedUnion("type", [
  SessionReady,
  MessageAccepted,
  MessageDelta,
  MessageEnd,
  ErrorEvent,
  Pong,
  MessageReset,
  SessionReset,
  ToolStart,
  ToolEnd,
  ToolConfirm,
  AuthRefreshed,
  GuardReported,
]);

/** Events that belong to a conversation's history and carry a `seq`. */
export const ConversationEvent = z.discriminatedUnion("type", [MessageDelta, MessageEnd, MessageReset, ToolStart, ToolEnd, ToolConfirm]);

export type EndReason = z.infer<typeof EndReason>;
export type Usage = z.infer<typeof Usage>;
export type WireError = z.infer<typeof WireError>;
export type SessionReady = z.infer<typeof SessionReady>;
export type MessageAccepted = z.infer<typeof MessageAccepted>;
export type MessageDelta = z.infer<typeof MessageDelta>;
export type MessageEnd = z.infer<typeof MessageEnd>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;
export type ToolStart = z.infer<typeof ToolStart>;
export type ToolEnd = z.infer<typeof ToolEnd>;
export type ToolConfirm = z.infer<typeof ToolConfirm>;
export type GuardReported = z.infer<typeof GuardReported>;
export type ServerMessage = z.infer<typeof ServerMessage>;
export type AuthRefreshed = z.infer<typeof AuthRefreshed>;
export type ConversationEvent = z.infer<typeof ConversationEvent>;
export type MessageReset = z.infer<typeof MessageReset>;
export type SessionReset = z.infer<typeof SessionReset>;
/** A conversation event before the event log numbers it. */
export type UnsequencedEvent = ConversationEvent extends infer E ? (E extends { seq: number } ? Omit<E, "seq"> : never) : never;
