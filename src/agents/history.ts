import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { ChatMessage } from "../protocol/index.ts";

/** A conversation's messages as they are in its newest checkpoint. */
export interface ConversationHistory {
  /** User and assistant messages, oldest first; [] for a conversation with no checkpoint. */
  messages(conversationId: string): Promise<ChatMessage[]>;
  /** Removes every checkpoint of the conversation. */
  delete(conversationId: string): Promise<void>;
}

/** Reads history straight from the LangGraph checkpointer (`thread_id` = conversation id). */
export class CheckpointHistory implements ConversationHistory {
  constructor(private readonly checkpointer: BaseCheckpointSaver) {}

  async messages(conversationId: string): Promise<ChatMessage[]> {
    const tuple = await this.checkpointer.getTuple({ configurable: { thread_id: conversationId, checkpoint_ns: "" } });
    const stored = tuple?.checkpoint.channel_values?.messages;
    if (!Array.isArray(stored)) return [];
    return (stored as BaseMessage[]).flatMap((message): ChatMessage[] => {
      const role = HumanMessage.isInstance(message) ? "user" : AIMessage.isInstance(message) ? "assistant" : null;
      if (!role) return [];
      const content = typeof message.content === "string" ? message.content : message.text;
      if (role === "assistant" && !content) return []; // a bare tool-calling step
      const status = (message.response_metadata as Record<string, unknown> | undefined)?.agentd_status;
      return [{ id: message.id ?? "", role, content, ...(status === "cancelled" || status === "timeout" ? { status } : {}) }];
    });
  }

  async delete(conversationId: string): Promise<void> {
    await this.checkpointer.deleteThread(conversationId);
  }
}
