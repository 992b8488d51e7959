import type { CounterName, GaugeName, HistogramName, LabelsOf, MetricName } from "./catalogue.ts";

/**
 * Where code records what it observes. Metric names and labels come from `catalogue.ts`. Calls are
 * cheap and never throw; record once per request, task or connection, not per streamed token.
 * On the main thread the composition root hands in the Prometheus registry; in a worker thread a
 * `BufferedRecorder` whose observations are posted to the main thread.
 */
export interface MetricsRecorder {
  /** Adds `value` (default 1) to a counter. */
  inc<N extends CounterName>(name: N, labels: LabelsOf<N>, value?: number): void;
  /** Sets a gauge to `value`. */
  set<N extends GaugeName>(name: N, labels: LabelsOf<N>, value: number): void;
  /** Records one observation (seconds, for every histogram agentd has) in a histogram. */
  observe<N extends HistogramName>(name: N, labels: LabelsOf<N>, value: number): void;
}

/** One recorded call, as a worker thread forwards it: plain data that survives `postMessage`. */
export type Observation = {
  op: "inc" | "set" | "observe";
  name: MetricName;
  labels: Record<string, string>;
  value: number;
};

/** Records nothing: for code run outside a server (tests, CLI commands). */
export const noMetrics: MetricsRecorder = { inc() {}, set() {}, observe() {} };
