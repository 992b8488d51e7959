import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { isAbsolute, resolve } from "node:path";
import type { OutputRedactorFactory } from "../guard/output/output-redactor.ts";
import type { createAgentGraph } from "./agent-graph.ts";
import { installAgentModuleSdk } from "./module-sdk.ts";
import type { ToolName } from "./registry.ts";

/** What an agent module's default export receives. */
export interface AgentModuleContext {
  name: string;
  /** The configured chat model (with the agent's model override applied). */
  model: BaseChatModel;
  /** The checkpointer the graph must be compiled with (conversations live in it). */
  checkpointer: BaseCheckpointSaver;
  systemPrompt: string;
  /** The built-in tools the agent declared in config, by name. */
  tools: Partial<Record<ToolName, StructuredToolInterface>>;
  /** agentd's own tool-calling graph builder, for modules that only add tools. */
  createAgentGraph: typeof createAgentGraph;
  /**
   * The output guard's redactor. Streams are always redacted; a module that builds its own graph
   * should store replies through `redactText(createOutputRedactor, text)` (agentd's graph does) so
   * history holds what was shown.
   */
  createOutputRedactor: OutputRedactorFactory;
}

/** A compiled LangGraph graph over `MessagesAnnotation`-compatible state (what `compile()` returns). */
export interface AgentGraphLike {
  stream(input: unknown, options?: unknown): Promise<AsyncIterable<unknown>>;
  getState(config: { configurable: Record<string, unknown> }): Promise<{ values?: { messages?: BaseMessage[] } }>;
  updateState(config: { configurable: Record<string, unknown> }, values: Record<string, unknown>, asNode?: string): Promise<unknown>;
}

export type AgentModuleFactory = (context: AgentModuleContext) => AgentGraphLike | Promise<AgentGraphLike>;

/** Thrown when an agent module cannot be loaded; the message names the file. */
export class AgentModuleError extends Error {}

/** Loads `path` (relative to the working directory) and returns its default export, a factory. */
export async function loadAgentModule(path: string, cwd = process.cwd()): Promise<AgentModuleFactory> {
  installAgentModuleSdk();
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  let loaded: { default?: unknown };
  try {
    loaded = await import(file);
  } catch (error) {
    throw new AgentModuleError(`agent module ${file} failed to load: ${(error as Error)?.message ?? error}`);
  }
  if (typeof loaded.default !== "function") {
    throw new AgentModuleError(`agent module ${file} must export a default function that builds the agent's graph`);
  }
  return loaded.default as AgentModuleFactory;
}
