import type { Config } from "../config/schema.ts";
import type { InputGuard } from "../guard/input/input-guard.ts";
import { RuleBasedInputGuard } from "../guard/input/rule-based.ts";

/** The input guard this config describes; the server and `agentd guard check` both build it here. */
export function createInputGuard(config: Config["guard"]): InputGuard {
  return new RuleBasedInputGuard({
    enabled: config.enabled,
    maxSpecialCharRatio: config.max_special_char_ratio,
    blockThreshold: config.block_threshold,
    actions: config.actions,
  });
}

/**
 * The input guard for each agent: `guard.*`, with the agent's own `guard:` overrides on top (e.g. a
 * code-review agent that allows more special characters). Agents without overrides share one guard.
 */
export function createAgentInputGuards(config: Config): (agent: string) => InputGuard {
  const shared = createInputGuard(config.guard);
  const byAgent = new Map<string, InputGuard>();
  for (const agent of config.agents) {
    if (!agent.guard) continue;
    const { actions, ...rest } = agent.guard;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    const merged = { ...config.guard, ...defined, actions: { ...config.guard.actions, ...actions } } as Config["guard"];
    byAgent.set(agent.name, createInputGuard(merged));
  }
  return (agent) => byAgent.get(agent) ?? shared;
}
