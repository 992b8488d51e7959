import { createAssistantGraph, type AgentGraph } from "../agents/assistant.ts";
import { createChatModel } from "../agents/model.ts";
import { SqliteSaver } from "../checkpoint/sqlite-saver.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { AgentRuntime } from "../work/agent-runtime.ts";
import type { ModelTarget } from "../work/task-events.ts";
import { dataPaths } from "./paths.ts";

export const AGENT_NAMES = ["assistant"] as const;

/** One thread's agents: the model and graphs are built on first use, over the SQLite checkpointer. */
export function createAgentRuntime(config: Config): AgentRuntime {
  const checkpointer = SqliteSaver.fromPath(dataPaths(config).checkpoints);
  checkpointer.setup();
  const assistants = new Map<ModelTarget, AgentGraph>();
  return {
    graphFor(agent: string, model: ModelTarget = "primary"): AgentGraph {
      if (agent !== "assistant") throw new AppError("bad_request", `There is no agent named "${agent}".`);
      let graph = assistants.get(model);
      if (!graph) {
        const llm = model === "fallback" && config.llm.fallback ? config.llm.fallback : config.llm;
        assistants.set(model, (graph = createAssistantGraph(createChatModel(llm), checkpointer)));
      }
      return graph;
    },
    async close() {
      checkpointer.db.close();
    },
  };
}
