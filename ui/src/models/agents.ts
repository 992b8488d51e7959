import { signal } from "@preact/signals";
import type { AgentChoice, Api } from "../api.ts";

/** The agent a new conversation gets when the user picks none. */
export const DEFAULT_AGENT = "assistant";

/**
 * The agents a new conversation can be created with, and the one chosen. With one agent (or a
 * server that does not list them) there is nothing to choose and the UI shows no chooser.
 */
export function createAgentsModel(api: Pick<Api, "listAgents">) {
  const agents = signal<AgentChoice[]>([]);
  const chosen = signal(DEFAULT_AGENT);

  async function load(): Promise<void> {
    try {
      agents.value = (await api.listAgents()) ?? [];
    } catch {
      // Choosing an agent is optional; new conversations get the default one.
      agents.value = [];
    }
    if (!agents.peek().some((agent) => agent.name === chosen.peek())) chosen.value = agents.peek()[0]?.name ?? DEFAULT_AGENT;
  }

  return {
    agents,
    chosen,
    load,
    /** Whether there is a choice to show. */
    hasChoice: () => agents.value.length > 1,
  };
}

export type AgentsModel = ReturnType<typeof createAgentsModel>;
