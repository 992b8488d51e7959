import type { MetricsRecorder } from "../metrics/recorder.ts";
import type { ModelCall, ModelCallObserver, ModelUsage } from "./model-calls.ts";

/**
 * Records each model request's first-token latency, duration and the provider's reported token
 * usage. Labels are the configured provider and model, never anything about the user.
 *
 * An observer of the model's requests (model-calls.ts), not a LangChain callback handler: LangChain
 * calls every handler of a model run for every token (a promise and an async-context switch
 * each), whatever the handler implements, and these metrics need nothing per token but the first.
 */
export class LlmMetrics implements ModelCallObserver {
  constructor(
    private readonly metrics: MetricsRecorder,
    private readonly labels: { provider: string; model: string },
    private readonly clock: () => number = performance.now.bind(performance),
  ) {}

  start(): ModelCall {
    const startedAt = this.clock();
    let firstTokenAt: number | undefined;
    let ended = false;
    const finish = (outcome: "completed" | "failed") => {
      if (ended) return false;
      ended = true;
      const now = this.clock();
      if (firstTokenAt !== undefined) this.metrics.observe("agentd_llm_first_token_seconds", this.labels, (firstTokenAt - startedAt) / 1000);
      this.metrics.observe("agentd_llm_duration_seconds", { ...this.labels, outcome }, (now - startedAt) / 1000);
      return true;
    };
    return {
      firstToken: () => {
        firstTokenAt ??= this.clock();
      },
      end: (usage?: ModelUsage) => {
        if (!finish("completed") || !usage) return;
        if (usage.input_tokens) this.metrics.inc("agentd_llm_tokens_total", { direction: "input", ...this.labels }, usage.input_tokens);
        if (usage.output_tokens) this.metrics.inc("agentd_llm_tokens_total", { direction: "output", ...this.labels }, usage.output_tokens);
      },
      fail: () => void finish("failed"),
    };
  }
}
