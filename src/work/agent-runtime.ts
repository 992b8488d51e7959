import type { AgentGraph } from "../agents/assistant.ts";
import type { OutputRedactorFactory } from "../guard/output/output-redactor.ts";

/**
 * What a thread needs to run tasks: a compiled graph per agent name. Built once per thread by the
 * composition root (src/app/), which owns the model and checkpointer.
 */
export interface AgentRuntime {
  /** The compiled graph of `agent`; throws AppError `bad_request` for an unknown agent. */
  graphFor(agent: string): AgentGraph;
  /** A fresh output redactor for one reply (the same rules the graphs apply to what they store). */
  createOutputRedactor: OutputRedactorFactory;
  close(): Promise<void>;
}
