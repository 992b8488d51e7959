import { createAssistantGraph, type AgentGraph } from "../agents/assistant.ts";
import { LlmMetricsHandler } from "../agents/llm-metrics.ts";
import { createChatModel } from "../agents/model.ts";
import { SqliteSaver } from "../checkpoint/sqlite-saver.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import { noMetrics, type MetricsRecorder } from "../metrics/recorder.ts";
import type { AgentRuntime } from "../work/agent-runtime.ts";
import { dataPaths } from "./paths.ts";

export const AGENT_NAMES = ["assistant"] as const;

/**
 * One thread's agents: the model and graphs are built on first use, over the SQLite checkpointer.
 * Model requests are recorded in `metrics` (this thread's recorder).
 */
export function createAgentRuntime(config: Config, metrics: MetricsRecorder = noMetrics): AgentRuntime {
  const checkpointer = SqliteSaver.fromPath(dataPaths(config).checkpoints);
  checkpointer.setup();
  let assistant: AgentGraph | undefined;
  return {
    graphFor(agent: string): AgentGraph {
      if (agent !== "assistant") throw new AppError("bad_request", `There is no agent named "${agent}".`);
      const callbacks = [new LlmMetricsHandler(metrics, modelLabels(config.llm))];
      assistant ??= createAssistantGraph(createChatModel(config.llm, { callbacks }), checkpointer);
      return assistant;
    },
    async close() {
      checkpointer.db.close();
    },
  };
}

/** The provider and model labels of a model config (the Azure deployment when no model is named). */
export function modelLabels(llm: Config["llm"]): { provider: string; model: string } {
  return { provider: llm.provider, model: llm.model ?? llm.azure.deployment ?? "unset" };
}
