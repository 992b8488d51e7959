/**
 * Every metric agentd exposes, in one place: name, type, help text and label names. Code records
 * through a `MetricsRecorder` by name; only `prometheus.ts` turns this table into prom-client
 * metrics. Labels stay low-cardinality (agent, model, provider, outcome, reason…): never a user,
 * conversation or task id — per-user usage is at `GET /api/admin/usage`.
 */

const SECONDS_FAST = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30];
const SECONDS_SLOW = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
const CONNECTION_SECONDS = [1, 10, 60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400];

export const METRICS = {
  agentd_ws_connections: {
    type: "gauge",
    help: "WebSocket connections open now.",
    labels: [],
  },
  agentd_ws_connection_seconds: {
    type: "histogram",
    help: "How long WebSocket connections stayed open, observed when they close.",
    labels: [],
    buckets: CONNECTION_SECONDS,
  },
  agentd_ws_connections_refused_total: {
    type: "counter",
    help: "WebSocket connections refused, by reason (unauthorized, not_found, shutting_down, connection_limit…).",
    labels: ["reason"],
  },
  agentd_ws_backpressure_closes_total: {
    type: "counter",
    help: "WebSocket connections closed because the client read too slowly (1013).",
    labels: [],
  },
  agentd_messages_total: {
    type: "counter",
    help: "Replies finished, by agent and outcome (completed, failed, cancelled, timeout).",
    labels: ["agent", "outcome"],
  },
  agentd_llm_first_token_seconds: {
    type: "histogram",
    help: "Time from sending a model request to its first streamed token.",
    labels: ["provider", "model"],
    buckets: SECONDS_FAST,
  },
  agentd_llm_duration_seconds: {
    type: "histogram",
    help: "Duration of model requests, from sending to the last token (or the error).",
    labels: ["provider", "model", "outcome"],
    buckets: SECONDS_SLOW,
  },
  agentd_llm_tokens_total: {
    type: "counter",
    help: "Tokens as the model provider reported them, by direction (input, output): the basis for cost.",
    labels: ["direction", "provider", "model"],
  },
  agentd_rate_limited_total: {
    type: "counter",
    help: "Requests refused by a rate limit, by kind (messages, connections, login…).",
    labels: ["kind"],
  },
  agentd_guard_blocked_total: {
    type: "counter",
    help: "Messages blocked by the input/output guard, by category.",
    labels: ["category"],
  },
  agentd_guard_redactions_total: {
    type: "counter",
    help: "Redactions the guard made, by kind (email, phone, secret…).",
    labels: ["kind"],
  },
  agentd_circuit_state: {
    type: "gauge",
    help: "Circuit breaker state per model: 0 closed, 1 half-open, 2 open.",
    labels: ["model"],
  },
  agentd_tasks: {
    type: "gauge",
    help: "Tasks by state on this node: queued (waiting) and running.",
    labels: ["state"],
  },
  agentd_task_duration_seconds: {
    type: "histogram",
    help: "Time from a task starting to run to its end, by agent and outcome.",
    labels: ["agent", "outcome"],
    buckets: SECONDS_SLOW,
  },
  agentd_task_retries_total: {
    type: "counter",
    help: "Tasks run again after a failure or a lost worker.",
    labels: [],
  },
} as const satisfies Record<string, MetricDefinition>;

export interface MetricDefinition {
  type: "counter" | "gauge" | "histogram";
  help: string;
  labels: readonly string[];
  buckets?: readonly number[];
}

export type MetricName = keyof typeof METRICS;
type NamesOf<T extends MetricDefinition["type"]> = { [N in MetricName]: (typeof METRICS)[N]["type"] extends T ? N : never }[MetricName];
export type CounterName = NamesOf<"counter">;
export type GaugeName = NamesOf<"gauge">;
export type HistogramName = NamesOf<"histogram">;
/** The label values a metric needs: exactly its label names. */
export type LabelsOf<N extends MetricName> = { [L in (typeof METRICS)[N]["labels"][number]]: string };
