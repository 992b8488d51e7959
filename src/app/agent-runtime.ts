import type { StructuredToolInterface } from "@langchain/core/tools";
import { createAgentGraph } from "../agents/agent-graph.ts";
import { createChatModel } from "../agents/model.ts";
import { loadAgentModule, type AgentGraphLike, type AgentModuleFactory } from "../agents/module-agent.ts";
import { agentSpecs, type AgentSpec, type ToolName } from "../agents/registry.ts";
import { projectTools } from "../agents/tools/project-tools.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { AgentRuntime } from "../work/agent-runtime.ts";
import { openAppStore } from "./app-store.ts";
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
 * One thread's agents over the configured checkpointer: models and graphs are built on first use;
 * agent modules are loaded up front, so a broken module stops the start.
 */
export async function createAgentRuntime(config: Config): Promise<AgentRuntime> {
  const checkpoints = await openCheckpointer(config);
  const checkpointer = checkpoints.saver;
  const store = await openAppStore(config);
  const specs = new Map(agentSpecs(config.agents).map((spec) => [spec.name, spec]));
  const modules = await loadAgentModules(config);
  const tools = toolbox(projectTools({ projects: store.projects, projectsPerHour: config.limits.projects_per_hour }));
  const graphs = new Map<string, Promise<AgentGraphLike>>();

  const build = async (spec: AgentSpec): Promise<AgentGraphLike> => {
    const model = createChatModel({ ...config.llm, model: spec.model ?? config.llm.model });
    const chosen = Object.fromEntries(spec.tools.map((name) => [name, tools[name]]));
    const factory = modules.get(spec.name);
    if (factory) {
      return factory({ name: spec.name, model, checkpointer, systemPrompt: spec.systemPrompt, tools: chosen, createAgentGraph });
    }
    return createAgentGraph({ model, checkpointer, systemPrompt: spec.systemPrompt, tools: Object.values(chosen) });
  };

  return {
    graphFor(agent: string): Promise<AgentGraphLike> {
      const spec = specs.get(agent);
      if (!spec) return Promise.reject(new AppError("bad_request", `There is no agent named "${agent}".`));
      let graph = graphs.get(agent);
      if (!graph) {
        graph = build(spec);
        graphs.set(agent, graph);
        graph.catch(() => graphs.delete(agent));
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
