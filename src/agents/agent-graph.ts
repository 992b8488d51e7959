import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { END, MessagesAnnotation, START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { redactText, type OutputRedactorFactory } from "../guard/output/output-redactor.ts";

export interface AgentGraphOptions {
  model: BaseChatModel;
  checkpointer: BaseCheckpointSaver;
  systemPrompt: string;
  /** Tools the model may call; none makes a plain chat agent. */
  tools?: StructuredToolInterface[];
  /** The output guard: stored replies are redacted exactly as their streams were. */
  createOutputRedactor?: OutputRedactorFactory;
}

/**
 * A tool-calling agent: the model answers, and while its answer asks for tools they run and the
 * model answers again. One turn's assistant messages are stored under the id given as
 * `configurable.reply_message_id` (the first) and `<id>:<n>` (the following ones), so the message
 * the client saw streaming and the ones in history line up (see `history.ts`).
 */
export function createAgentGraph({ model, checkpointer, systemPrompt, tools = [], createOutputRedactor }: AgentGraphOptions) {
  const caller = tools.length > 0 && model.bindTools ? model.bindTools(tools) : model;
  const agent = async (state: typeof MessagesAnnotation.State, config: LangGraphRunnableConfig) => {
    const reply = await caller.invoke([new SystemMessage(systemPrompt), ...state.messages], config);
    const baseId = config.configurable?.reply_message_id;
    // A plain AIMessage, not the streamed AIMessageChunk: the runner tells node outputs from
    // tokens by that, so the text is not sent a second time.
    return {
      messages: [
        new AIMessage({
          id: typeof baseId === "string" ? nextReplyId(state.messages, baseId) : reply.id,
          content: createOutputRedactor ? redactText(createOutputRedactor, textOf(reply.content)) : reply.content,
          tool_calls: reply.tool_calls,
          invalid_tool_calls: reply.invalid_tool_calls,
          usage_metadata: reply.usage_metadata,
          response_metadata: reply.response_metadata,
        }),
      ],
    };
  };
  if (tools.length === 0) {
    // Without tools a turn is one model call, so the graph is that one node: no tools node and no
    // branch after the model (a branch runs as a runnable of its own, with its callbacks, every
    // turn). A checkpoint between its steps could only hold the user message, which a re-run after
    // a crash adds again anyway (same id): a tool-less turn checkpoints once, when it ends (also
    // when it fails or is cancelled) — one serialization of the whole history per turn instead of
    // three (decision 022).
    return new StateGraph(MessagesAnnotation)
      .addNode("agent", agent)
      .addEdge(START, "agent")
      .addEdge("agent", END)
      .compile({ checkpointer })
      .withConfig({ durability: "exit" });
  }
  // With tools every step is kept, so a re-run does not call a tool that already ran.
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", agent)
    .addNode("tools", new ToolNode(tools))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", (state) => ((state.messages.at(-1) as AIMessage | undefined)?.tool_calls?.length ? "tools" : END), ["tools", END])
    .addEdge("tools", "agent")
    .compile({ checkpointer });
}

export type AgentGraph = ReturnType<typeof createAgentGraph>;

/** `<base>` for a turn's first assistant message, `<base>:<n>` for the n-th after it. */
export function nextReplyId(messages: BaseMessage[], baseId: string): string {
  const taken = messages.filter((message) => message.id === baseId || message.id?.startsWith(`${baseId}:`)).length;
  return taken === 0 ? baseId : `${baseId}:${taken}`;
}

/** The turn id an assistant message belongs to. */
export const replyBaseId = (id: string) => id.split(":")[0]!;

/** The text of a message's content, as the runner streams it. */
export function textOf(content: BaseMessage["content"]): string {
  if (typeof content === "string") return content;
  return content.map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
}
