import type { AgentDefinitionConfig } from "../config/schema.ts";
import { ASSISTANT_PROMPT, PROJECT_PROMPT } from "./prompts.ts";

export type ToolName = AgentDefinitionConfig["tools"][number];

/** An agent as the registry knows it: declared in config, or built in. */
export interface AgentSpec {
  name: string;
  description: string;
  systemPrompt: string;
  /** Overrides `llm.model` for this agent. */
  model?: string;
  tools: ToolName[];
  /** A TypeScript file whose default export builds the agent's graph (see docs/agents.md). */
  module?: string;
}

export const BUILT_IN_AGENTS: readonly AgentSpec[] = [
  { name: "assistant", description: "General chat.", systemPrompt: ASSISTANT_PROMPT, tools: [] },
  {
    name: "project",
    description: "Creates and updates your showcase projects through conversation.",
    systemPrompt: PROJECT_PROMPT,
    tools: ["create_project", "update_project", "list_my_projects"],
  },
];

export const DEFAULT_AGENT = "assistant";

/** The built-in agents, then those from config; a config entry with a built-in's name replaces it. */
export function agentSpecs(declared: readonly AgentDefinitionConfig[]): AgentSpec[] {
  const byName = new Map(BUILT_IN_AGENTS.map((spec) => [spec.name, spec]));
  for (const agent of declared) {
    const builtIn = byName.get(agent.name);
    byName.set(agent.name, {
      name: agent.name,
      description: agent.description || builtIn?.description || "",
      systemPrompt: agent.system_prompt ?? builtIn?.systemPrompt ?? ASSISTANT_PROMPT,
      model: agent.model,
      tools: agent.tools.length > 0 || !builtIn ? agent.tools : builtIn.tools,
      module: agent.module,
    });
  }
  return [...byName.values()];
}
