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
