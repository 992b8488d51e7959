import type { QueuedTask } from "../../src/queue/queue.ts";

/** A queued task of the default agent with fresh ids; `fields` sets any of them. */
export const queuedTask = (fields: Partial<QueuedTask> = {}): QueuedTask => ({
  taskId: crypto.randomUUID(),
  conversationId: crypto.randomUUID(),
  userId: "u",
  agent: "assistant",
  userMessageId: crypto.randomUUID(),
  messageId: crypto.randomUUID(),
  content: "hello",
  ...fields,
});
