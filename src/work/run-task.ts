import { AIMessage, AIMessageChunk, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { Command } from "@langchain/langgraph";
import { textOf } from "../agents/agent-graph.ts";
import { isConfirmationRequest } from "../agents/tools/confirmation.ts";
import { AppError } from "../errors.ts";
import type { Usage, WireError } from "../protocol/index.ts";
import type { QueuedTask } from "../queue/queue.ts";
import type { AgentRuntime } from "./agent-runtime.ts";
import type { EmitTaskEvent } from "./task-events.ts";

const SUMMARY_CHARS = 200;

/**
 * Runs one turn: appends the user message (or resumes a paused tool call) in the conversation's
 * checkpointed history, streams the agent's reply token by token and its tool calls through
 * `emit`, and ends with exactly one `end` event. Never throws.
 *
 * Every delta passes the output guard first, one redactor per assistant message (flushed when the
 * agent node stores that message, so the stream equals what is stored). A tail still held when the
 * turn fails or is cancelled is dropped, never shown unredacted.
 */
export async function runTask(runtime: AgentRuntime, task: QueuedTask, emit: EmitTaskEvent, signal?: AbortSignal): Promise<void> {
  const usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  let reported = false;
  const redactions: Record<string, number> = {};
  let redactor = runtime.createOutputRedactor();
  const finishMessage = () => {
    const rest = redactor.end();
    for (const [kind, count] of Object.entries(redactor.counts)) redactions[kind] = (redactions[kind] ?? 0) + count;
    redactor = runtime.createOutputRedactor();
    return rest;
  };
  const redacted = () => (Object.keys(redactions).length > 0 ? { redactions } : {});
  try {
    const graph = await runtime.graphFor(task.agent);
    const input = task.resume
      ? new Command({ resume: { [task.resume.interruptId]: { approved: task.resume.approved, reason: task.resume.reason } } })
      : { messages: [new HumanMessage({ id: task.userMessageId, content: task.content })] };
    const stream = await graph.stream(input, {
      configurable: { thread_id: task.conversationId, reply_message_id: task.messageId, user_id: task.userId },
      streamMode: ["messages", "updates"],
      signal,
    });
    for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
      if (mode === "messages") {
        const [message] = chunk as [BaseMessage];
        if (!AIMessageChunk.isInstance(message)) continue; // a node's whole output: handled as an update
        const shown = redactor.push(textOf(message.content));
        if (shown) emit({ kind: "delta", text: shown });
        continue;
      }
      for (const [node, update] of Object.entries(chunk as Record<string, unknown>)) {
        if (node === "__interrupt__") {
          for (const pending of update as { value?: unknown }[]) {
            if (isConfirmationRequest(pending.value)) {
              const { toolCallId, name, args } = pending.value;
              emit({ kind: "tool-confirm", toolCallId, name, args });
            }
          }
          continue;
        }
        for (const message of messagesOf(update)) {
          if (AIMessage.isInstance(message)) {
            const rest = finishMessage();
            if (rest) emit({ kind: "delta", text: rest });
            if (message.usage_metadata) {
              reported = true;
              usage.inputTokens += message.usage_metadata.input_tokens;
              usage.outputTokens += message.usage_metadata.output_tokens;
              usage.totalTokens += message.usage_metadata.total_tokens;
            }
            for (const call of message.tool_calls ?? []) emit({ kind: "tool-start", toolCallId: call.id ?? "", name: call.name, args: call.args });
          } else if (ToolMessage.isInstance(message)) {
            const summary = textOf(message.content).slice(0, SUMMARY_CHARS);
            emit({ kind: "tool-end", toolCallId: message.tool_call_id, name: message.name ?? "", ok: message.status !== "error", summary });
          }
        }
      }
    }
    const rest = finishMessage();
    if (rest) emit({ kind: "delta", text: rest });
    emit({ kind: "end", reason: "completed", usage: reported ? usage : undefined, ...redacted() });
  } catch (error) {
    for (const [kind, count] of Object.entries(redactor.counts)) redactions[kind] = (redactions[kind] ?? 0) + count;
    const spent = reported ? usage : undefined;
    if (signal?.aborted) emit({ kind: "end", reason: "cancelled", usage: spent, ...redacted() });
    else emit({ kind: "end", reason: "failed", usage: spent, error: describeFailure(error), ...redacted() });
  }
}

function messagesOf(update: unknown): BaseMessage[] {
  const messages = (update as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? (messages as BaseMessage[]) : [];
}


/** A failure as the user sees it: a stable code and a sentence, never a stack or a secret. */
export function describeFailure(error: unknown): WireError {
  if (error instanceof AppError) return { code: error.code, message: error.message, retryable: error.retryable };
  const status = (error as { status?: unknown })?.status;
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
