import { createAssistantGraph, type AgentGraph } from "../agents/assistant.ts";
import { createChatModel } from "../agents/model.ts";
import { SqliteSaver } from "../checkpoint/sqlite-saver.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { ProviderGate } from "../limits/provider-gate.ts";
import type { AgentRuntime } from "../work/agent-runtime.ts";
import { dataPaths } from "./paths.ts";

export const AGENT_NAMES = ["assistant"] as const;

/** One thread's agents: the model and graphs are built on first use, over the SQLite checkpointer. */
export function createAgentRuntime(config: Config, beforeProviderCall?: ProviderGate): AgentRuntime {
  const checkpointer = SqliteSaver.fromPath(dataPaths(config).checkpoints);
  checkpointer.setup();
  let assistant: AgentGraph | undefined;
  return {
    graphFor(agent: string): AgentGraph {
      if (agent !== "assistant") throw new AppError("bad_request", `There is no agent named "${agent}".`);
      assistant ??= createAssistantGraph(createChatModel(config.llm, beforeProviderCall), checkpointer);
      return assistant;
    },
    async close() {
      checkpointer.db.close();
    },
  };
}
