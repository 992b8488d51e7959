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
  /** Set on a reply that did not complete: its partial text was kept. */
  status: z.enum(["cancelled", "timeout"]).optional(),
});

export const ConversationWithMessages = Conversation.extend({
  messages: z.array(ChatMessage),
  /** Resume point for the chat socket (`?epoch=&lastSeq=`): a reply still running is replayed from its start. */
  epoch: z.string().optional(),
  lastSeq: z.number().int().nonnegative().optional(),
  /** Tool calls waiting for the member's `tool.approve` / `tool.reject` (as `tool.confirm` announced them). */
  pendingConfirmations: z.array(z.object({ toolCallId: z.string(), name: z.string(), args: z.record(z.string(), z.unknown()) })).optional(),
  /** Replies still queued or being written, so a reloaded page can offer Stop (`message.cancel {taskId}`). */
  activeReplies: z.array(z.object({ messageId: z.string(), taskId: z.string() })).optional(),
});

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

/** `GET /api/agents`: the agents a conversation can be created with. */
export const AgentInfo = z.object({ name: z.string(), description: z.string(), tools: z.array(z.string()) });

export const Project = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  type: z.enum(["app", "model", "dataset", "research", "other"]),
  tags: z.array(z.string()),
  links: z.array(z.string()),
  showcase: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type AgentInfo = z.infer<typeof AgentInfo>;
export type Project = z.infer<typeof Project>;
/** `GET /api/tasks/:id`: where the reply to one message stands (the "result backend"). */
export const TaskStatus = z.object({
  id: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  state: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
  /** Runs started so far (retries and re-runs after a crash add one each). */
  attempts: z.number().int().nonnegative(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  updatedAt: z.string(),
});

/** `GET /api/admin/tasks?state=failed`. */
export const AdminTaskList = z.object({ tasks: z.array(TaskStatus.extend({ userId: z.string(), content: z.string() })) });

export type TaskStatus = z.infer<typeof TaskStatus>;
export type AdminTaskList = z.infer<typeof AdminTaskList>;
/** `POST /api/guard/reports`: report a blocked message as a false positive. */
export const GuardReportRequest = z.strictObject({
  clientMessageId: z.string().min(1).max(128),
  conversationId: z.string().min(1).max(128),
});

/** A reported blocked message, as admins see it (`GET /api/admin/guard/reports`). */
export const GuardReportView = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string().nullable(),
  conversationId: z.string(),
  clientMessageId: z.string(),
  text: z.string(),
  category: z.string(),
  score: z.number(),
  patternIds: z.array(z.string()),
  blockedAt: z.string(),
  reportedAt: z.string(),
});

export const GuardReportPage = z.object({ reports: z.array(GuardReportView), nextCursor: z.string().nullable() });

export type GuardReportRequest = z.infer<typeof GuardReportRequest>;
export type GuardReportView = z.infer<typeof GuardReportView>;
export type GuardReportPage = z.infer<typeof GuardReportPage>;
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
