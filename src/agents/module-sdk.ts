import * as coreLanguageModels from "@langchain/core/language_models/chat_models";
import * as coreMessages from "@langchain/core/messages";
import * as coreTools from "@langchain/core/tools";
import * as langgraph from "@langchain/langgraph";
import * as langgraphPrebuilt from "@langchain/langgraph/prebuilt";
import * as zod from "zod";
import * as agentGraph from "./agent-graph.ts";

/**
 * The packages an agent module may import. A compiled binary cannot resolve packages for a file
 * outside it, so agentd hands the module its own copies as virtual modules — the same instances
 * it uses itself, so classes (messages, Command, tools) keep their identity.
 */
export const AGENT_MODULE_SDK: Record<string, Record<string, unknown>> = {
  "@langchain/langgraph": langgraph,
  "@langchain/langgraph/prebuilt": langgraphPrebuilt,
  "@langchain/core/messages": coreMessages,
  "@langchain/core/tools": coreTools,
  "@langchain/core/language_models/chat_models": coreLanguageModels,
  zod,
  agentd: { createAgentGraph: agentGraph.createAgentGraph },
};

let installed = false;

/** Registers the SDK modules with Bun's loader (once per thread). */
export function installAgentModuleSdk(): void {
  if (installed) return;
  installed = true;
  Bun.plugin({
    name: "agentd-agent-sdk",
    setup(build) {
      for (const [specifier, exports] of Object.entries(AGENT_MODULE_SDK)) {
        build.module(specifier, () => ({ exports, loader: "object" }));
      }
    },
  });
}
