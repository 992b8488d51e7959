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
export const ServerInfo = z.object({
  demo: z.boolean(),
  modelConfigured: z.boolean(),
  model: z.string().optional(),
  /** `ui.websocket_url`: where the page opens chat sockets; absent = its own host. */
  websocketUrl: z.string().optional(),
});

export type CurrentUser = z.infer<typeof CurrentUser>;
export type ServerInfo = z.infer<typeof ServerInfo>;
