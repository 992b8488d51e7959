import { describe, expect, test } from "bun:test";
import type { MetricsRecorder } from "../../src/metrics/recorder.ts";
import { parseMetrics, sampleValue, type Sample } from "../helpers/prometheus-text.ts";

/** A recorder under test, and how to read what it recorded as a main-thread registry would show it. */
export interface RecorderUnderTest {
  recorder: MetricsRecorder;
  /** The /metrics text once everything recorded so far has reached the registry. */
  exposition(): Promise<string>;
}

/**
 * What every MetricsRecorder promises: whatever is recorded through it shows in /metrics, with the
 * labels given, counters summed, gauges at their last value, histograms counted and summed.
 */
export function metricsRecorderSuite(options: { name: string; create: () => RecorderUnderTest }): void {
  describe(`MetricsRecorder conformance: ${options.name}`, () => {
    const scrape = async (subject: RecorderUnderTest): Promise<Sample[]> => parseMetrics(await subject.exposition());

    test("counters add up per label set; the default increment is 1", async () => {
      const subject = options.create();
      subject.recorder.inc("agentd_messages_total", { agent: "assistant", outcome: "completed" });
      subject.recorder.inc("agentd_messages_total", { agent: "assistant", outcome: "completed" }, 2);
      subject.recorder.inc("agentd_messages_total", { agent: "assistant", outcome: "failed" });
      const samples = await scrape(subject);
      expect(sampleValue(samples, "agentd_messages_total", { outcome: "completed" })).toBe(3);
      expect(sampleValue(samples, "agentd_messages_total", { outcome: "failed" })).toBe(1);
    });

    test("a gauge shows the last value set", async () => {
      const subject = options.create();
      subject.recorder.set("agentd_circuit_state", { model: "m" }, 2);
      subject.recorder.set("agentd_circuit_state", { model: "m" }, 1);
      expect(sampleValue(await scrape(subject), "agentd_circuit_state", { model: "m" })).toBe(1);
    });

    test("a histogram counts observations into buckets and sums them", async () => {
      const subject = options.create();
      const labels = { provider: "openai", model: "m" };
      subject.recorder.observe("agentd_llm_first_token_seconds", labels, 0.2);
      subject.recorder.observe("agentd_llm_first_token_seconds", labels, 4);
      const samples = await scrape(subject);
      expect(sampleValue(samples, "agentd_llm_first_token_seconds_count", labels)).toBe(2);
      expect(sampleValue(samples, "agentd_llm_first_token_seconds_sum", labels)).toBeCloseTo(4.2);
      expect(sampleValue(samples, "agentd_llm_first_token_seconds_bucket", { ...labels, le: "0.25" })).toBe(1);
      expect(sampleValue(samples, "agentd_llm_first_token_seconds_bucket", { ...labels, le: "+Inf" })).toBe(2);
    });
  });
}
