import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from "prom-client";
import { METRICS, type GaugeName, type LabelsOf, type MetricName } from "./catalogue.ts";
import type { MetricsRecorder, Observation } from "./recorder.ts";

type Sample = { labels: Record<string, string>; value: number };

let processRegistry: Registry | undefined;

/**
 * The default process metrics (CPU, memory, event loop lag…), once per process: they describe the
 * process, not a server, and prom-client starts an event-loop monitor for each registry it fills
 * that is never stopped.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The main thread's metrics: a prom-client registry holding every metric of the catalogue plus
 * the default process metrics. Worker threads' observations arrive through `apply`.
 */
export class PrometheusMetrics implements MetricsRecorder {
  readonly registry = new Registry();
  private readonly metrics = new Map<MetricName, Metric>();
  private readonly readers = new Map<GaugeName, () => Sample[] | Promise<Sample[]>>();
  private readonly process?: Registry;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) this.process = processMetrics();
    for (const [name, definition] of Object.entries(METRICS) as [MetricName, (typeof METRICS)[MetricName]][]) {
      const common = { name, help: definition.help, labelNames: [...definition.labels], registers: [this.registry] };
      const readers = this.readers;
      const metric =
        definition.type === "counter"
          ? new Counter(common)
          : definition.type === "histogram"
            ? new Histogram({ ...common, buckets: [...definition.buckets] })
            : new Gauge({
                ...common,
                // A gauge with a reader is read at scrape time: nothing to update on the hot path.
                async collect() {
                  const read = readers.get(name as GaugeName);
                  if (!read) return;
                  // A source that cannot be read now (Redis down) leaves its gauge out of this scrape rather than failing it.
                  const samples = await Promise.resolve().then(read).catch(() => []);
                  for (const sample of samples) this.set(sample.labels, sample.value);
                },
              });
      this.metrics.set(name, metric);
    }
  }

  inc(name: MetricName, labels: Record<string, string>, value = 1): void {
    (this.metrics.get(name) as Counter).inc(labels, value);
  }

  set(name: MetricName, labels: Record<string, string>, value: number): void {
    (this.metrics.get(name) as Gauge).set(labels, value);
  }

  observe(name: MetricName, labels: Record<string, string>, value: number): void {
    (this.metrics.get(name) as Histogram).observe(labels, value);
  }

  /** Reads gauge `name` from `read` at every scrape, e.g. the queue depth or the open sockets. */
  readGauge<N extends GaugeName>(name: N, read: () => { labels: LabelsOf<N>; value: number }[] | Promise<{ labels: LabelsOf<N>; value: number }[]>): void {
    this.readers.set(name, read);
  }

  /** Applies observations forwarded by a worker thread; unknown names (a version skew) are skipped. */
  apply(batch: readonly Observation[]): void {
    for (const { op, name, labels, value } of batch) {
      if (!this.metrics.has(name)) continue;
      this[op](name, labels, value);
    }
  }

  /** The exposition text for a scrape, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const own = await this.registry.metrics();
    return { contentType: this.registry.contentType, body: this.process ? `${await this.process.metrics()}\n${own}` : own };
  }
}
