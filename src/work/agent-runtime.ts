import type { AgentGraph } from "../agents/assistant.ts";
import type { ModelTarget } from "./task-events.ts";

/**
 * What a thread needs to run tasks: a compiled graph per agent name and model. Built once per
 * thread by the composition root (src/app/), which owns the models and checkpointer.
 */
export interface AgentRuntime {
  /** The compiled graph of `agent` over `model` (default primary); throws AppError `bad_request` for an unknown agent. */
  graphFor(agent: string, model?: ModelTarget): AgentGraph;
  close(): Promise<void>;
}
