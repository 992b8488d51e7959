import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import { AzureChatOpenAI, ChatOpenAI, type ChatOpenAICallOptions } from "@langchain/openai";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import { observeGenerate, observeStream, type ModelCallObserver } from "./model-calls.ts";

type LlmConfig = Omit<Config["llm"], "fallback">;

/** Why chat cannot run with this model config, naming the key to set; null when it can. */
export function modelConfigProblem(llm: LlmConfig): string | null {
  if (!llm.model && !(llm.provider === "azure" && llm.azure.deployment)) {
    return "No model is configured: set llm.model (AGENTD_LLM__MODEL) in the config file.";
  }
  if (llm.provider === "azure" && !llm.azure.endpoint) {
    return "Azure OpenAI needs llm.azure.endpoint (AGENTD_LLM__AZURE__ENDPOINT).";
  }
  if (llm.provider === "azure" && !llm.api_key) {
    return "Azure OpenAI needs llm.api_key or AZURE_OPENAI_API_KEY.";
  }
  if (llm.provider === "openai" && !llm.api_key && !llm.base_url) {
    return "OpenAI needs llm.api_key (or OPENAI_API_KEY), or llm.base_url for a local server.";
  }
  return null;
}

/**
 * The chat model for a config, streaming, with token counting kept offline: @langchain/openai
 * estimates token counts with tiktoken encodings it downloads from the internet (on `invoke()`
 * without a stream callback). agentd contacts no host but the model endpoint, so counting is a
 * local estimate instead; reported usage comes from the provider. `observer` is told of every
 * request (metrics).
 */
export function createChatModel(
  llm: LlmConfig,
  options: { beforeCall?: (signal?: AbortSignal | null) => Promise<void>; observer?: ModelCallObserver } = {},
): BaseChatModel {
  const problem = modelConfigProblem(llm);
  if (problem) throw new AppError("model_not_configured", problem);
  const common = {
    temperature: llm.temperature,
    timeout: llm.timeout_ms,
    maxRetries: llm.max_retries,
    streaming: true,
    streamUsage: true,
  };
  // Every HTTP request to the provider passes `beforeCall` first (the provider call cap).
  const { beforeCall } = options;
  const gatedFetch = beforeCall
    ? async (input: string | URL | Request, init?: RequestInit) => (await beforeCall(init?.signal), fetch(input, init))
    : undefined;
  const model =
    llm.provider === "azure"
      ? new OfflineAzureChatOpenAI({
          ...common,
          model: llm.model,
          azureOpenAIApiKey: llm.api_key,
          azureOpenAIEndpoint: llm.azure.endpoint,
          azureOpenAIApiDeploymentName: llm.azure.deployment ?? llm.model,
          azureOpenAIApiVersion: llm.azure.api_version,
          configuration: { fetch: gatedFetch },
        })
      : new OfflineChatOpenAI({
          ...common,
          model: llm.model,
          // A local server (Ollama, vLLM…) may need no key, but the client insists on one.
          apiKey: llm.api_key ?? "not-needed",
          configuration: { baseURL: llm.base_url, fetch: gatedFetch },
        });
  model.observer = options.observer;
  return model;
}

/** ~4 characters per token: the estimate @langchain/core itself falls back to. */
export function estimateTokens(content: unknown): number {
  const text =
    typeof content === "string"
      ? content
      : Array.isArray(content)
        ? content.map((part) => (typeof part === "string" ? part : (part as { text?: string })?.text ?? "")).join("")
        : "";
  return Math.ceil(text.length / 4);
}

const countLocally = async (content: unknown) => estimateTokens(content);

/**
 * What agentd adds to a ChatOpenAI class (and AzureChatOpenAI, which extends it):
 * - token counting stays local: ChatOpenAI delegates to inner Completions/Responses models, each
 *   with its own getNumTokens;
 * - requests are observed where the model hands out chunks, not through a callback handler, which
 *   LangChain would call for every token (model-calls.ts);
 * - `bindTools` and every bound copy (`withConfig`) keep both and the class: the stock `withConfig`
 *   builds a plain ChatOpenAI from the constructor fields (losing the offline counting, the
 *   observer and, for Azure, the Azure class).
 */
function offlineObserved<Base extends new (...args: any[]) => ChatOpenAI>(ChatModel: Base) {
  return class extends ChatModel {
    observer?: ModelCallObserver;
    // A mixin's constructor must take `any[]` (TypeScript's rule for mixins): its base's own arguments.
    constructor(...args: any[]) {
      super(...args);
      for (const inner of [this.completions, this.responses]) inner.getNumTokens = countLocally;
    }
    override getNumTokens = countLocally;
    override _streamResponseChunks(messages: BaseMessage[], options: this["ParsedCallOptions"], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
      return observeStream(this.observer, super._streamResponseChunks(messages, options, runManager));
    }
    override _generate(messages: BaseMessage[], options: this["ParsedCallOptions"], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
      return observeGenerate(this.observer, () => super._generate(messages, options, runManager));
    }
    override withConfig(config: Partial<ChatOpenAICallOptions>): this {
      const copy = new (this.constructor as new (fields: unknown) => this)(this.fields);
      copy.defaultOptions = { ...this.defaultOptions, ...config };
      copy.observer = this.observer;
      return copy;
    }
  };
}

const OfflineChatOpenAI = offlineObserved(ChatOpenAI);
const OfflineAzureChatOpenAI = offlineObserved(AzureChatOpenAI);
