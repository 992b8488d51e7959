import type { AgentGraphLike } from "../agents/module-agent.ts";
import type { OutputRedactorFactory } from "../guard/output/output-redactor.ts";
import type { ModelTarget } from "./task-events.ts";

/**
 * What a thread needs to run tasks: a compiled graph per agent name and model. Built once per
 * thread by the composition root (src/app/), which owns the models, tools and checkpointer.
 */
export interface AgentRuntime {
  /** The compiled graph of `agent` over `model` (default primary); rejects with AppError `bad_request` for an unknown agent. */
  graphFor(agent: string, model?: ModelTarget): Promise<AgentGraphLike>;
  /** A fresh output redactor for one assistant message (the rules the graphs apply to what they store). */
  createOutputRedactor: OutputRedactorFactory;
  close(): Promise<void>;
}
