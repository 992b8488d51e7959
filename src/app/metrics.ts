import type { BreakerSnapshot } from "../breaker/breaker.ts";
import type { Server } from "bun";
import type { Config } from "../config/schema.ts";
import { parseListen } from "../config/schema.ts";
import { onError } from "../http/middleware.ts";
import { metricsRoutes } from "../http/routes/metrics.ts";
import type { Logger } from "../log.ts";
import { PrometheusMetrics } from "../metrics/prometheus.ts";

/** The numbers /metrics reads at scrape time instead of tracking them on every change. */
export interface LiveCounts {
  openSockets: () => number;
  queueDepth: () => Promise<number>;
  runningTasks: () => number;
  breakers: () => Promise<Record<string, BreakerSnapshot>>;
}

const BREAKER_STATE_VALUE: Record<BreakerSnapshot["state"], number> = { closed: 0, half_open: 1, open: 2 };

/** The main thread's registry, with the gauges that are read when Prometheus scrapes. */
export function createServerMetrics(live: LiveCounts): PrometheusMetrics {
  const metrics = new PrometheusMetrics();
  metrics.readGauge("agentd_ws_connections", () => [{ labels: {}, value: live.openSockets() }]);
  metrics.readGauge("agentd_tasks", async () => [
    { labels: { state: "queued" }, value: await live.queueDepth() },
    { labels: { state: "running" }, value: live.runningTasks() },
  ]);
  metrics.readGauge("agentd_circuit_state", async () =>
    Object.entries(await live.breakers()).map(([model, snapshot]) => ({ labels: { model }, value: BREAKER_STATE_VALUE[snapshot.state] })),
  );
  return metrics;
}

/** `metrics.listen`: /metrics on its own address (plain HTTP), e.g. loopback for a local Prometheus. */
export function serveMetricsSeparately(config: Config, metrics: PrometheusMetrics, log: Logger): Server<undefined> | undefined {
  if (!config.metrics.enabled || !config.metrics.listen) return undefined;
  const { host, port } = parseListen(config.metrics.listen);
  const app = metricsRoutes(metrics, config.metrics.token);
  app.onError(onError((error) => log.error("metrics scrape failed", { error })));
  const server = Bun.serve({ hostname: host, port, development: false, fetch: (request) => app.fetch(request) });
  log.info("metrics listening", { url: `http://${config.metrics.listen.replace(/:\d+$/, "")}:${server.port}/metrics` });
  return server;
}
