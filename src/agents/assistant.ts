import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { MessagesAnnotation, StateGraph } from "@langchain/langgraph";
import { redactText, type OutputRedactorFactory } from "../guard/output/output-redactor.ts";

export const DEFAULT_SYSTEM_PROMPT =
  "You are a helpful assistant. Answer clearly and concisely; use Markdown where it helps.";

/**
 * The built-in `assistant` agent: one model call per turn over the whole conversation.
 * The reply is stored under the id given as `configurable.reply_message_id`, so the message the
 * client saw streaming and the one in history have the same id. With `createOutputRedactor` the
 * stored reply is redacted exactly as its stream was, so history never holds what was not shown.
 */
export function createAssistantGraph(
  model: BaseChatModel,
  checkpointer: BaseCheckpointSaver,
  systemPrompt = DEFAULT_SYSTEM_PROMPT,
  createOutputRedactor?: OutputRedactorFactory,
) {
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state, config) => {
      const reply = await model.invoke([new SystemMessage(systemPrompt), ...state.messages], config);
      const replyId = config.configurable?.reply_message_id;
      // A plain AIMessage under our id: the streamed chunks were AIMessageChunks, so the runner
      // can tell this node output apart and not send its text a second time.
      return {
        messages: [
          new AIMessage({
            id: typeof replyId === "string" ? replyId : reply.id,
            content: createOutputRedactor ? redactText(createOutputRedactor, textOf(reply.content)) : reply.content,
            tool_calls: reply.tool_calls,
            usage_metadata: reply.usage_metadata,
            response_metadata: reply.response_metadata,
          }),
        ],
      };
    })
    .addEdge("__start__", "agent")
    .addEdge("agent", "__end__")
    .compile({ checkpointer });
}

export type AgentGraph = ReturnType<typeof createAssistantGraph>;

/** The text of a reply, as the runner streams it. */
function textOf(content: BaseMessage["content"]): string {
  if (typeof content === "string") return content;
  return content.map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : "")).join("");
}
