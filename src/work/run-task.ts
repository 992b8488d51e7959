import { AIMessage, AIMessageChunk, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { AppError } from "../errors.ts";
import type { EndReason, Usage, WireError } from "../protocol/index.ts";
import type { QueuedTask } from "../queue/queue.ts";
import type { AgentRuntime } from "./agent-runtime.ts";
import type { EmitTaskEvent, RunOptions, TaskEvent } from "./task-events.ts";

/** Where a reply that did not complete records how it ended (read back by the history). */
export const END_STATUS_KEY = "agentd_status";

/**
 * Runs one turn from the conversation's last checkpoint: appends the user message (once, even on a
 * re-run: it keeps its id), streams the agent's reply token by token through `emit`, and ends with
 * exactly one `end` event. A reply already in the checkpoint (an earlier run got that far) is
 * emitted whole instead of asking the model again. A reply stopped by cancel or timeout keeps its
 * partial text in the history, marked with its status. Never throws.
 */
export async function runTask(runtime: AgentRuntime, task: QueuedTask, emit: EmitTaskEvent, options: RunOptions = {}): Promise<void> {
  const { signal } = options;
  let usage: Usage | undefined;
  let text = "";
  const config = { configurable: { thread_id: task.conversationId, reply_message_id: task.messageId } };
  let graph;
  try {
    graph = runtime.graphFor(task.agent, options.model);
    const stored = storedReply(await graph.getState(config), task.messageId);
    if (stored) {
      if (stored.text) emit({ kind: "delta", text: stored.text });
      return emit({ kind: "end", reason: stored.reason });
    }
    const stream = await graph.stream(
      { messages: [new HumanMessage({ id: task.userMessageId, content: task.content })] },
      { ...config, streamMode: "messages", signal },
    );
    for await (const [message] of stream as AsyncIterable<[BaseMessage, Record<string, unknown>]>) {
      if (!AIMessageChunk.isInstance(message)) {
        // A node's whole output: its text was already streamed; keep the provider's usage.
        if (AIMessage.isInstance(message) && message.usage_metadata) usage = toUsage(message.usage_metadata);
        continue;
      }
      const piece = textOf(message.content);
      if (piece) {
        text += piece;
        emit({ kind: "delta", text: piece });
      }
    }
    emit({ kind: "end", reason: "completed", usage });
  } catch (error) {
    const reason = signal?.aborted ? signal.reason : undefined;
    if (graph && (reason === "cancelled" || reason === "timeout")) {
      await keepPartialReply(graph, config, task, text, reason).catch(() => undefined);
      return emit({ kind: "end", reason, usage });
    }
    if (reason !== undefined) return emit({ kind: "end", reason: "failed", usage });
    emit({ kind: "end", reason: "failed", usage, error: describeFailure(error), ...modelFailureOf(error) });
  }
}

type Graph = ReturnType<AgentRuntime["graphFor"]>;
type GraphConfig = { configurable: Record<string, unknown> };

/** LangGraph does not commit an aborted node's output, so the partial reply is written as that node's. */
async function keepPartialReply(graph: Graph, config: GraphConfig, task: QueuedTask, text: string, status: EndReason) {
  const messages: BaseMessage[] = [new HumanMessage({ id: task.userMessageId, content: task.content })];
  if (text) messages.push(new AIMessage({ id: task.messageId, content: text, response_metadata: { [END_STATUS_KEY]: status } }));
  await graph.updateState(config, { messages }, "agent");
}

function storedReply(state: { values?: { messages?: BaseMessage[] } }, messageId: string): { text: string; reason: EndReason } | null {
  const message = state.values?.messages?.find((candidate) => candidate.id === messageId);
  if (!message) return null;
  const status = (message.response_metadata as Record<string, unknown> | undefined)?.[END_STATUS_KEY];
  return { text: textOf(message.content), reason: status === "cancelled" || status === "timeout" ? status : "completed" };
}

function textOf(content: BaseMessage["content"]): string {
  if (typeof content === "string") return content;
  return content.map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
}

function toUsage(usage: { input_tokens: number; output_tokens: number; total_tokens: number }): Usage {
  return { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, totalTokens: usage.total_tokens };
}

/** Whether `error` is the model call failing (not our own fault), with its HTTP status. */
function modelFailureOf(error: unknown): Pick<Extract<TaskEvent, { kind: "end" }>, "modelFailure"> {
  if (error instanceof AppError) return {};
  const status = (error as { status?: unknown })?.status;
  return { modelFailure: typeof status === "number" ? { status } : {} };
}

/** A failure as the user sees it: a stable code and a sentence, never a stack or a secret. */
export function describeFailure(error: unknown): WireError {
  if (error instanceof AppError) return { code: error.code, message: error.message, retryable: error.retryable };
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
