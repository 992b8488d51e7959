import { AIMessage, AIMessageChunk, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { Command } from "@langchain/langgraph";
import { nextReplyId, replyBaseId, textOf } from "../agents/agent-graph.ts";
import type { AgentGraphLike } from "../agents/module-agent.ts";
import { isConfirmationRequest } from "../agents/tools/confirmation.ts";
import { AppError } from "../errors.ts";
import type { EndReason, Usage, WireError } from "../protocol/index.ts";
import type { QueuedTask } from "../queue/queue.ts";
import type { AgentRuntime } from "./agent-runtime.ts";
import type { EmitTaskEvent, RunOptions, TaskEvent } from "./task-events.ts";

/** Where a reply that did not complete records how it ended (read back by the history). */
export const END_STATUS_KEY = "agentd_status";

const SUMMARY_CHARS = 200;

type GraphConfig = { configurable: Record<string, unknown> };

/**
 * Runs one turn from the conversation's last checkpoint: appends the user message (once, even on a
 * re-run: it keeps its id) or resumes a tool call paused for confirmation, streams the agent's reply
 * token by token and its tool calls through `emit`, and ends with exactly one `end` event. A reply
 * already in the checkpoint (an earlier run got that far) is emitted whole instead of asking the
 * model again. A reply stopped by cancel or timeout keeps its partial text in the history, marked
 * with its status. Never throws.
 *
 * Every delta passes the output guard first, one redactor per assistant message (flushed when the
 * agent node stores that message, so the stream equals what is stored). A tail still held when the
 * turn fails or is cancelled is dropped, never shown unredacted.
 */
export async function runTask(runtime: AgentRuntime, task: QueuedTask, emit: EmitTaskEvent, options: RunOptions = {}): Promise<void> {
  const { signal } = options;
  const usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  let reported = false;
  const spent = () => (reported ? usage : undefined);
  const redactions: Record<string, number> = {};
  let redactor = runtime.createOutputRedactor();
  /** What was shown of the assistant message now streaming (for a partial reply). */
  let shownText = "";
  const countRedactions = () => {
    for (const [kind, count] of Object.entries(redactor.counts)) redactions[kind] = (redactions[kind] ?? 0) + count;
  };
  const finishMessage = () => {
    const rest = redactor.end();
    countRedactions();
    redactor = runtime.createOutputRedactor();
    shownText = "";
    if (rest) emit({ kind: "delta", text: rest });
  };
  const redacted = () => (Object.keys(redactions).length > 0 ? { redactions } : {});
  const config: GraphConfig = { configurable: { thread_id: task.conversationId, reply_message_id: task.messageId, user_id: task.userId } };
  let graph: AgentGraphLike | undefined;
  try {
    graph = await runtime.graphFor(task.agent, options.model);
    const stored = options.firstRun && !task.resume ? null : storedReply(await graph.getState(config), task.messageId);
    if (stored) {
      if (stored.text) emit({ kind: "delta", text: stored.text });
      return emit({ kind: "end", reason: stored.reason });
    }
    const input = task.resume
      ? new Command({ resume: { [task.resume.interruptId]: { approved: task.resume.approved, reason: task.resume.reason } } })
      : { messages: [new HumanMessage({ id: task.userMessageId, content: task.content })] };
    const stream = await graph.stream(input, { ...config, streamMode: ["messages", "updates"], signal });
    for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
      if (mode === "messages") {
        const [message] = chunk as [BaseMessage];
        if (!AIMessageChunk.isInstance(message)) continue; // a node's whole output: handled as an update
        const shown = redactor.push(textOf(message.content));
        if (shown) {
          shownText += shown;
          emit({ kind: "delta", text: shown });
        }
        continue;
      }
      for (const [node, update] of Object.entries(chunk as Record<string, unknown>)) {
        if (node === "__interrupt__") {
          for (const pending of update as { value?: unknown }[]) {
            if (!isConfirmationRequest(pending.value)) continue;
            const { toolCallId, name, args } = pending.value;
            emit({ kind: "tool-confirm", toolCallId, name, args });
          }
          continue;
        }
        for (const message of messagesOf(update)) {
          if (AIMessage.isInstance(message)) {
            finishMessage();
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
    finishMessage();
    emit({ kind: "end", reason: "completed", usage: spent(), ...redacted() });
  } catch (error) {
    countRedactions();
    const reason = signal?.aborted ? signal.reason : undefined;
    if (graph && (reason === "cancelled" || reason === "timeout")) {
      await keepPartialReply(graph, config, task, shownText, reason).catch(() => undefined);
      return emit({ kind: "end", reason, usage: spent(), ...redacted() });
    }
    if (reason !== undefined) return emit({ kind: "end", reason: "failed", usage: spent(), ...redacted() });
    emit({ kind: "end", reason: "failed", usage: spent(), error: describeFailure(error), ...modelFailureOf(error), ...redacted() });
  }
}

/** LangGraph does not commit an aborted node's output, so the partial reply is written as that node's. */
async function keepPartialReply(graph: AgentGraphLike, config: GraphConfig, task: QueuedTask, text: string, status: EndReason) {
  const current = ((await graph.getState(config)).values?.messages ?? []) as BaseMessage[];
  const messages: BaseMessage[] = task.resume ? [] : [new HumanMessage({ id: task.userMessageId, content: task.content })];
  if (text) {
    const id = nextReplyId(current, task.messageId);
    messages.push(new AIMessage({ id, content: text, response_metadata: { [END_STATUS_KEY]: status } }));
  }
  if (messages.length > 0) await graph.updateState(config, { messages }, "agent");
}

/**
 * The reply of `messageId` if an earlier run already stored it whole: its turn's assistant messages
 * (`<id>`, `<id>:1`, …) end with one that calls no tools.
 */
function storedReply(state: { values?: { messages?: BaseMessage[] } }, messageId: string): { text: string; reason: EndReason } | null {
  const turn = (state.values?.messages ?? []).filter((message) => AIMessage.isInstance(message) && replyBaseId(message.id ?? "") === messageId) as AIMessage[];
  const last = turn.at(-1);
  if (!last || last.tool_calls?.length) return null;
  const status = (last.response_metadata as Record<string, unknown> | undefined)?.[END_STATUS_KEY];
  return { text: turn.map((message) => textOf(message.content)).join(""), reason: status === "cancelled" || status === "timeout" ? status : "completed" };
}

function messagesOf(update: unknown): BaseMessage[] {
  const messages = (update as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? (messages as BaseMessage[]) : [];
}

/** Whether `error` is the model call failing (not our own fault), with its HTTP status. */
function modelFailureOf(error: unknown): Pick<Extract<TaskEvent, { kind: "end" }>, "modelFailure"> {
  if (error instanceof AppError) return {};
  const status = (error as { status?: unknown })?.status;
  return { modelFailure: typeof status === "number" ? { status } : {} };
}

/** A failure as the user sees it: a stable code and a sentence, never a stack or a secret. */
export function describeFailure(error: unknown): WireError {
  // The model client wraps what its fetch threw (e.g. the provider call cap's refusal) as `cause`.
  for (let inner = error, depth = 0; inner && depth < 5; inner = (inner as { cause?: unknown }).cause, depth++) {
    if (inner instanceof AppError) return { code: inner.code, message: inner.message, retryable: inner.retryable };
  }
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
