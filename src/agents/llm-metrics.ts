import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { BaseMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type { MetricsRecorder } from "../metrics/recorder.ts";

interface Call {
  startedAt: number;
  firstTokenAt?: number;
}

/**
 * Records each model request's first-token latency, duration and the provider's reported token
 * usage. Per token it only notes the first token's time; metrics are recorded once per request.
 * Labels are the configured provider and model, never anything about the user.
 */
export class LlmMetricsHandler extends BaseCallbackHandler {
  name = "agentd_llm_metrics";
  // Awaited, so a request's metrics are recorded before the task that made it reports its end.
  override awaitHandlers = true;
  private readonly calls = new Map<string, Call>();

  constructor(
    private readonly metrics: MetricsRecorder,
    private readonly labels: { provider: string; model: string },
    private readonly clock: () => number = performance.now.bind(performance),
  ) {
    super();
  }

  override handleChatModelStart(_llm: unknown, _messages: BaseMessage[][], runId: string): void {
    this.calls.set(runId, { startedAt: this.clock() });
  }

  override handleLLMNewToken(_token: string, _index: unknown, runId: string): void {
    const call = this.calls.get(runId);
    if (call && call.firstTokenAt === undefined) call.firstTokenAt = this.clock();
  }

  override handleLLMEnd(output: LLMResult, runId: string): void {
    const call = this.finish(runId, "completed");
    if (!call) return;
    const usage = (output.generations[0]?.[0] as { message?: BaseMessage } | undefined)?.message as
      | { usage_metadata?: { input_tokens?: number; output_tokens?: number } }
      | undefined;
    const reported = usage?.usage_metadata;
    if (!reported) return;
    if (reported.input_tokens) this.metrics.inc("agentd_llm_tokens_total", { direction: "input", ...this.labels }, reported.input_tokens);
    if (reported.output_tokens) this.metrics.inc("agentd_llm_tokens_total", { direction: "output", ...this.labels }, reported.output_tokens);
  }

  override handleLLMError(_error: unknown, runId: string): void {
    this.finish(runId, "failed");
  }

  private finish(runId: string, outcome: "completed" | "failed"): Call | undefined {
    const call = this.calls.get(runId);
    if (!call) return undefined;
    this.calls.delete(runId);
    const now = this.clock();
    if (call.firstTokenAt !== undefined) {
      this.metrics.observe("agentd_llm_first_token_seconds", this.labels, (call.firstTokenAt - call.startedAt) / 1000);
    }
    this.metrics.observe("agentd_llm_duration_seconds", { ...this.labels, outcome }, (now - call.startedAt) / 1000);
    return call;
  }
}
