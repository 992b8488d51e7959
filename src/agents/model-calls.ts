import type { AIMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";

/** The token usage a provider reports for one request. */
export interface ModelUsage {
  input_tokens?: number;
  output_tokens?: number;
}

/** One model request as an observer sees it: its first token, then exactly one of `end` or `fail`. */
export interface ModelCall {
  firstToken(): void;
  end(usage?: ModelUsage): void;
  fail(): void;
}

/** Told of every request a chat model makes (src/agents/model.ts). */
export interface ModelCallObserver {
  start(): ModelCall;
}

/**
 * Passes a streamed request's chunks through, telling `observer` when the first one with text
 * arrives and how the request ended (the usage summed over the chunks; a stream abandoned before
 * its end, e.g. cancelled, counts as failed).
 */
export async function* observeStream(observer: ModelCallObserver | undefined, chunks: AsyncGenerator<ChatGenerationChunk>): AsyncGenerator<ChatGenerationChunk> {
  if (!observer) return yield* chunks;
  const call = observer.start();
  let sawText = false;
  let usage: Required<ModelUsage> | undefined;
  let ended = false;
  try {
    for await (const chunk of chunks) {
      if (!sawText && chunk.text) {
        sawText = true;
        call.firstToken();
      }
      const reported = (chunk.message as AIMessage).usage_metadata;
      if (reported) {
        usage ??= { input_tokens: 0, output_tokens: 0 };
        usage.input_tokens += reported.input_tokens ?? 0;
        usage.output_tokens += reported.output_tokens ?? 0;
      }
      yield chunk;
    }
    ended = true;
    call.end(usage);
  } finally {
    if (!ended) call.fail();
  }
}

/**
 * Runs a request whose tokens nobody streams (no first-token time: the caller sees none), telling
 * `observer` how it ended. Every agentd run streams; an agent module's own `invoke` may not.
 */
export async function observeGenerate(observer: ModelCallObserver | undefined, generate: () => Promise<ChatResult>): Promise<ChatResult> {
  if (!observer) return generate();
  const call = observer.start();
  let result: ChatResult;
  try {
    result = await generate();
  } catch (error) {
    call.fail();
    throw error;
  }
  call.end((result.generations[0]?.message as AIMessage | undefined)?.usage_metadata);
  return result;
}
