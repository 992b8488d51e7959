import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { ChatMessage } from "../protocol/index.ts";
import { replyBaseId } from "./agent-graph.ts";
import { isConfirmationRequest, type ConfirmationRequest } from "./tools/confirmation.ts";

/** A conversation's messages as they are in its newest checkpoint. */
export interface ConversationHistory {
  /**
   * User and assistant messages, oldest first; [] for a conversation with no checkpoint. The
   * assistant messages of one turn (`<id>`, `<id>:1`, …) are one message, as the client saw it stream.
   */
  messages(conversationId: string): Promise<ChatMessage[]>;
  /** The interrupt that pauses tool call `toolCallId` for confirmation, or null when none does. */
  pendingConfirmation(conversationId: string, toolCallId: string): Promise<{ interruptId: string } | null>;
  /** Every tool call waiting for the member's confirmation, oldest first ([] when none). */
  pendingConfirmations(conversationId: string): Promise<PendingConfirmation[]>;
  /** Removes every checkpoint of the conversation. */
  delete(conversationId: string): Promise<void>;
}

/** A tool call paused for the member's approval, as `tool.confirm` announced it. */
export interface PendingConfirmation {
  toolCallId: string;
  name: string;
  args: Record<string, unknown>;
}

const INTERRUPT_CHANNEL = "__interrupt__";

/** Reads history straight from the LangGraph checkpointer (`thread_id` = conversation id). */
export class CheckpointHistory implements ConversationHistory {
  constructor(private readonly checkpointer: BaseCheckpointSaver) {}

  async messages(conversationId: string): Promise<ChatMessage[]> {
    const tuple = await this.checkpointer.getTuple({ configurable: { thread_id: conversationId, checkpoint_ns: "" } });
    const stored = tuple?.checkpoint.channel_values?.messages;
    if (!Array.isArray(stored)) return [];
    const out: ChatMessage[] = [];
    for (const message of stored as BaseMessage[]) {
      if (HumanMessage.isInstance(message)) out.push({ id: message.id ?? "", role: "user", content: textOf(message) });
      if (!AIMessage.isInstance(message)) continue;
      const id = replyBaseId(message.id ?? "");
      const status = (message.response_metadata as Record<string, unknown> | undefined)?.agentd_status;
      const last = out.at(-1);
      const current = last?.role === "assistant" && last.id === id ? last : undefined;
      if (current) current.content += textOf(message);
      else out.push({ id, role: "assistant", content: textOf(message) });
      if (status === "cancelled" || status === "timeout") out.at(-1)!.status = status;
    }
    return out.filter((message) => message.role === "user" || message.content !== "");
  }

  async pendingConfirmation(conversationId: string, toolCallId: string): Promise<{ interruptId: string } | null> {
    const found = (await this.interrupts(conversationId)).find((pending) => pending.request.toolCallId === toolCallId);
    return found ? { interruptId: found.interruptId } : null;
  }

  async pendingConfirmations(conversationId: string): Promise<PendingConfirmation[]> {
    return (await this.interrupts(conversationId)).map(({ request: { toolCallId, name, args } }) => ({ toolCallId, name, args }));
  }

  /** The confirmation requests among the newest checkpoint's pending interrupts, with their ids. */
  private async interrupts(conversationId: string): Promise<{ interruptId: string; request: ConfirmationRequest }[]> {
    const tuple = await this.checkpointer.getTuple({ configurable: { thread_id: conversationId, checkpoint_ns: "" } });
    const found: { interruptId: string; request: ConfirmationRequest }[] = [];
    for (const [, channel, value] of tuple?.pendingWrites ?? []) {
      if (channel !== INTERRUPT_CHANNEL) continue;
      for (const pending of (Array.isArray(value) ? value : [value]) as { id?: string; value?: unknown }[]) {
        if (isConfirmationRequest(pending?.value) && pending.id) found.push({ interruptId: pending.id, request: pending.value });
      }
    }
    return found;
  }

  async delete(conversationId: string): Promise<void> {
    await this.checkpointer.deleteThread(conversationId);
  }
}

const textOf = (message: BaseMessage) => (typeof message.content === "string" ? message.content : message.text);
