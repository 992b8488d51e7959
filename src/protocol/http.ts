import { z } from "zod";

/** HTTP request bodies shared by server, tests and UI. */

export const LoginRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

export const LoginResponse = z.object({ token: z.string(), expiresAt: z.string() });

export const CreateConversationRequest = z.strictObject({
  agent: z.string().min(1).max(64).optional(),
  title: z.string().min(1).max(200).optional(),
});

export const RenameConversationRequest = z.strictObject({ title: z.string().min(1).max(200) });

export const Conversation = z.object({
  id: z.string(),
  title: z.string(),
  agent: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ChatMessage = z.object({
  id: z.string(),
  role: z.enum(["user", "assistant"]),
  content: z.string(),
});

export const ConversationWithMessages = Conversation.extend({ messages: z.array(ChatMessage) });

export const ConversationPage = z.object({
  conversations: z.array(Conversation),
  /** Pass as `?cursor=` for the next (older) page; null when there is none. */
  nextCursor: z.string().nullable(),
});

export type LoginRequest = z.infer<typeof LoginRequest>;
export type LoginResponse = z.infer<typeof LoginResponse>;
export type CreateConversationRequest = z.infer<typeof CreateConversationRequest>;
export type Conversation = z.infer<typeof Conversation>;
export type ChatMessage = z.infer<typeof ChatMessage>;
export type ConversationWithMessages = z.infer<typeof ConversationWithMessages>;
export type ConversationPage = z.infer<typeof ConversationPage>;

/** `GET /api/me`. */
export const CurrentUser = z.object({ id: z.string(), username: z.string(), role: z.enum(["admin", "user"]) });

/** `GET /api/info`: what the UI shows about the server. */
export const ServerInfo = z.object({ demo: z.boolean(), modelConfigured: z.boolean(), model: z.string().optional() });

export type CurrentUser = z.infer<typeof CurrentUser>;
export type ServerInfo = z.infer<typeof ServerInfo>;

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a day as YYYY-MM-DD");

/** `GET /api/admin/usage?from=&to=` (admin only): days are UTC, `from`..`to` inclusive. */
export const UsageQuery = z.strictObject({ from: DAY.optional(), to: DAY.optional() });

/** One user's tokens on one day, as the model provider reported them. */
export const UsageDay = z.object({
  day: z.string(),
  userId: z.string(),
  /** Null when the account no longer exists. */
  username: z.string().nullable(),
  replies: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  totalTokens: z.number(),
});

export const UsageReport = z.object({ from: z.string(), to: z.string(), days: z.array(UsageDay) });

export type UsageQuery = z.infer<typeof UsageQuery>;
export type UsageDay = z.infer<typeof UsageDay>;
export type UsageReport = z.infer<typeof UsageReport>;
