import { describe, expect, test } from "bun:test";
import { BufferedRecorder } from "../../src/metrics/buffered.ts";
import { PrometheusMetrics } from "../../src/metrics/prometheus.ts";
import { noMetrics } from "../../src/metrics/recorder.ts";
import { parseMetrics, sampleValue } from "../helpers/prometheus-text.ts";

describe("forwarding a worker thread's observations", () => {
  test("a BufferedRecorder sums counters, keeps each observation, and drains once", () => {
    const buffer = new BufferedRecorder();
    buffer.inc("agentd_llm_tokens_total", { direction: "input", provider: "openai", model: "m" }, 10);
    buffer.inc("agentd_llm_tokens_total", { direction: "input", provider: "openai", model: "m" }, 5);
    buffer.observe("agentd_llm_first_token_seconds", { provider: "openai", model: "m" }, 0.2);
    buffer.set("agentd_circuit_state", { model: "m" }, 2);
    const batch = buffer.drain();
    expect(batch).toHaveLength(3);
    expect(batch[0]).toEqual({ op: "inc", name: "agentd_llm_tokens_total", labels: { direction: "input", provider: "openai", model: "m" }, value: 15 });
    expect(buffer.drain()).toEqual([]);
  });

  test("PrometheusMetrics.apply puts a drained batch into the registry and skips unknown names", async () => {
    const buffer = new BufferedRecorder();
    buffer.inc("agentd_task_retries_total", {}, 2);
    buffer.observe("agentd_llm_duration_seconds", { provider: "openai", model: "m", outcome: "completed" }, 1.5);
    buffer.set("agentd_circuit_state", { model: "m" }, 1);
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    metrics.apply([...buffer.drain(), { op: "inc", name: "agentd_from_a_newer_version" as never, labels: {}, value: 1 }]);
    const samples = parseMetrics((await metrics.scrape()).body);
    expect(sampleValue(samples, "agentd_task_retries_total")).toBe(2);
    expect(sampleValue(samples, "agentd_llm_duration_seconds_sum", { outcome: "completed" })).toBe(1.5);
    expect(sampleValue(samples, "agentd_circuit_state", { model: "m" })).toBe(1);
    expect(samples.some((sample) => sample.name.startsWith("process_"))).toBe(false);
  });

  test("noMetrics records nothing and never throws", () => {
    expect(() => {
      noMetrics.inc("agentd_task_retries_total", {});
      noMetrics.set("agentd_circuit_state", { model: "m" }, 0);
      noMetrics.observe("agentd_task_duration_seconds", { agent: "a", outcome: "completed" }, 1);
    }).not.toThrow();
  });
});
