import type { StructuredToolInterface } from "@langchain/core/tools";
import { createAgentGraph } from "../agents/agent-graph.ts";
import { LlmMetrics } from "../agents/llm-metrics.ts";
import { createChatModel } from "../agents/model.ts";
import { loadAgentModule, type AgentGraphLike, type AgentModuleFactory } from "../agents/module-agent.ts";
import { agentSpecs, type AgentSpec, type ToolName } from "../agents/registry.ts";
import { projectTools } from "../agents/tools/project-tools.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { ProviderGate } from "../limits/provider-gate.ts";
import { noMetrics, type MetricsRecorder } from "../metrics/recorder.ts";
import type { AgentRuntime } from "../work/agent-runtime.ts";
import type { ModelTarget } from "../work/task-events.ts";
import { openAppStore } from "./app-store.ts";
import { createOutputRedactorFactory } from "./output-guard.ts";
import { dataPaths } from "./paths.ts";
import { openCheckpointer } from "./checkpointer.ts";

/** The agents this config offers, by name (built-ins and declared ones). */
export const agentNames = (config: Config) => agentSpecs(config.agents).map((spec) => spec.name);

/** Loads every declared agent module once; throws AgentModuleError naming the file that fails. */
export async function loadAgentModules(config: Config): Promise<Map<string, AgentModuleFactory>> {
  const factories = new Map<string, AgentModuleFactory>();
  for (const spec of agentSpecs(config.agents)) if (spec.module) factories.set(spec.name, await loadAgentModule(spec.module));
  return factories;
}

/**
 * LangChain runs callback handlers (LangGraph's token streaming among them) through a background
 * queue (p-queue) unless this is "false": per token that queue cost ~5% of a streaming node's CPU,
 * and every handler agentd installs is synchronous anyway. Read when a handler is constructed.
 */
function awaitCallbacksInline(): void {
  process.env.LANGCHAIN_CALLBACKS_BACKGROUND = "false";
}

/**
 * Stored bytes of checkpointed values a thread's SQLite saver keeps decoded for the next turn
 * (stored-values.ts): the histories of the few hundred conversations it ran last.
 */
const KEPT_CHECKPOINT_BYTES = 16 * 1024 * 1024;

/**
 * One thread's agents over the configured checkpointer: models and graphs are built on first use;
 * agent modules are loaded up front, so a broken module stops the start. Model requests pass the
 * provider call cap (`beforeProviderCall`) and are recorded in `metrics` (this thread's recorder).
 */
export async function createAgentRuntime(
  config: Config,
  options: { beforeProviderCall?: ProviderGate; metrics?: MetricsRecorder; checkpointsSqlite?: { autoCheckpointPages?: number; keepStoredBytes?: number } } = {},
): Promise<AgentRuntime> {
  const { beforeProviderCall, metrics = noMetrics } = options;
  awaitCallbacksInline();
  const checkpoints = await openCheckpointer(config, { keepStoredBytes: KEPT_CHECKPOINT_BYTES, ...options.checkpointsSqlite });
  const checkpointer = checkpoints.saver;
  const store = await openAppStore(config);
  const specs = new Map(agentSpecs(config.agents).map((spec) => [spec.name, spec]));
  const modules = await loadAgentModules(config);
  const tools = toolbox(projectTools({ projects: store.projects, projectsPerHour: config.limits.projects_per_hour }));
  const graphs = new Map<string, Promise<AgentGraphLike>>();
  const createOutputRedactor = createOutputRedactorFactory(config);

  const build = async (spec: AgentSpec, target: ModelTarget): Promise<AgentGraphLike> => {
    // While the primary model's breaker is open the dispatcher asks for llm.fallback instead.
    const llm = target === "fallback" && config.llm.fallback ? config.llm.fallback : { ...config.llm, model: spec.model ?? config.llm.model };
    const model = createChatModel(llm, { beforeCall: beforeProviderCall, observer: new LlmMetrics(metrics, modelLabels(llm)) });
    const chosen = Object.fromEntries(spec.tools.map((name) => [name, tools[name]]));
    const factory = modules.get(spec.name);
    if (factory) {
      return factory({ name: spec.name, model, checkpointer, systemPrompt: spec.systemPrompt, tools: chosen, createAgentGraph, createOutputRedactor });
    }
    return createAgentGraph({ model, checkpointer, systemPrompt: spec.systemPrompt, tools: Object.values(chosen), createOutputRedactor });
  };

  return {
    createOutputRedactor,
    graphFor(agent: string, target: ModelTarget = "primary"): Promise<AgentGraphLike> {
      const spec = specs.get(agent);
      if (!spec) return Promise.reject(new AppError("bad_request", `There is no agent named "${agent}".`));
      const key = `${agent}:${target}`;
      let graph = graphs.get(key);
      if (!graph) {
        graph = build(spec, target);
        graphs.set(key, graph);
        graph.catch(() => graphs.delete(key));
      }
      return graph;
    },
    async close() {
      await checkpoints.close();
      await store.close();
    },
  };
}

function toolbox(list: StructuredToolInterface[]): Record<ToolName, StructuredToolInterface> {
  return Object.fromEntries(list.map((tool) => [tool.name, tool])) as Record<ToolName, StructuredToolInterface>;
}

/** The provider and model labels of a model config (the Azure deployment when no model is named). */
export function modelLabels(llm: Config["llm"] | NonNullable<Config["llm"]["fallback"]>): { provider: string; model: string } {
  return { provider: llm.provider, model: llm.model ?? llm.azure?.deployment ?? "unset" };
}
