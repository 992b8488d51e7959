import { BufferedRecorder } from "../../src/metrics/buffered.ts";
import { PrometheusMetrics } from "../../src/metrics/prometheus.ts";
import { metricsRecorderSuite } from "../conformance/metrics-recorder.suite.ts";

metricsRecorderSuite({
  name: "PrometheusMetrics (main thread)",
  create: () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    return { recorder: metrics, exposition: async () => (await metrics.scrape()).body };
  },
});

metricsRecorderSuite({
  name: "BufferedRecorder (worker thread), drained into the main registry",
  create: () => {
    const buffer = new BufferedRecorder();
    const main = new PrometheusMetrics({ defaultMetrics: false });
    return {
      recorder: buffer,
      exposition: async () => {
        // What the thread posts survives structured cloning, as postMessage does it.
        main.apply(structuredClone(buffer.drain()));
        return (await main.scrape()).body;
      },
    };
  },
});
