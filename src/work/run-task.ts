import { AIMessage, AIMessageChunk, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { AppError } from "../errors.ts";
import type { Usage, WireError } from "../protocol/index.ts";
import type { QueuedTask } from "../queue/queue.ts";
import type { AgentRuntime } from "./agent-runtime.ts";
import type { EmitTaskEvent } from "./task-events.ts";

/**
 * Runs one turn: appends the user message to the conversation's checkpointed history, streams the
 * agent's reply token by token through `emit`, and ends with exactly one `end` event. Never throws.
 */
export async function runTask(runtime: AgentRuntime, task: QueuedTask, emit: EmitTaskEvent, signal?: AbortSignal): Promise<void> {
  let usage: Usage | undefined;
  try {
    const graph = runtime.graphFor(task.agent);
    const stream = await graph.stream(
      { messages: [new HumanMessage({ id: task.userMessageId, content: task.content })] },
      {
        configurable: { thread_id: task.conversationId, reply_message_id: task.messageId },
        streamMode: "messages",
        signal,
      },
    );
    for await (const [message] of stream as AsyncIterable<[BaseMessage, Record<string, unknown>]>) {
      if (!AIMessageChunk.isInstance(message)) {
        // A node's whole output: its text was already streamed; keep the provider's usage.
        if (AIMessage.isInstance(message) && message.usage_metadata) usage = toUsage(message.usage_metadata);
        continue;
      }
      const text = textOf(message.content);
      if (text) emit({ kind: "delta", text });
    }
    emit({ kind: "end", reason: "completed", usage });
  } catch (error) {
    if (signal?.aborted) emit({ kind: "end", reason: "cancelled", usage });
    else emit({ kind: "end", reason: "failed", usage, error: describeFailure(error) });
  }
}

function textOf(content: BaseMessage["content"]): string {
  if (typeof content === "string") return content;
  return content.map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
}

function toUsage(usage: { input_tokens: number; output_tokens: number; total_tokens: number }): Usage {
  return { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, totalTokens: usage.total_tokens };
}

/** A failure as the user sees it: a stable code and a sentence, never a stack or a secret. */
export function describeFailure(error: unknown): WireError {
  // The model client wraps what its fetch threw (e.g. the provider call cap's refusal) as `cause`.
  for (let inner = error, depth = 0; inner && depth < 5; inner = (inner as { cause?: unknown }).cause, depth++) {
    if (inner instanceof AppError) return { code: inner.code, message: inner.message, retryable: inner.retryable };
  }
  const status = (error as { status?: unknown; lc_error_code?: unknown })?.status;
  const name = (error as { name?: unknown })?.name;
  if (name === "TimeoutError" || /timed? ?out/i.test(String((error as Error)?.message))) {
    return { code: "model_error", message: "The model did not answer in time. Please try again.", retryable: true };
  }
  if (typeof status === "number") {
    const retryable = status === 408 || status === 429 || status >= 500;
    return { code: "model_error", message: `The model provider refused the request (HTTP ${status}).`, retryable };
  }
  return { code: "model_error", message: "The model could not be reached or failed. Please try again.", retryable: true };
}
