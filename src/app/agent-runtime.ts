import { createAssistantGraph, DEFAULT_SYSTEM_PROMPT, type AgentGraph } from "../agents/assistant.ts";
import { createChatModel } from "../agents/model.ts";
import { SqliteSaver } from "../checkpoint/sqlite-saver.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { AgentRuntime } from "../work/agent-runtime.ts";
import { createOutputRedactorFactory } from "./output-guard.ts";
import { dataPaths } from "./paths.ts";

export const AGENT_NAMES = ["assistant"] as const;

/** One thread's agents: the model and graphs are built on first use, over the SQLite checkpointer. */
export function createAgentRuntime(config: Config): AgentRuntime {
  const checkpointer = SqliteSaver.fromPath(dataPaths(config).checkpoints);
  checkpointer.setup();
  const createOutputRedactor = createOutputRedactorFactory(config);
  let assistant: AgentGraph | undefined;
  return {
    graphFor(agent: string): AgentGraph {
      if (agent !== "assistant") throw new AppError("bad_request", `There is no agent named "${agent}".`);
      assistant ??= createAssistantGraph(createChatModel(config.llm), checkpointer, DEFAULT_SYSTEM_PROMPT, createOutputRedactor);
      return assistant;
    },
    createOutputRedactor,
    async close() {
      checkpointer.db.close();
    },
  };
}
