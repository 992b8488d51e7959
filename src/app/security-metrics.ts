import type { MetricsRecorder } from "../metrics/recorder.ts";
import { CloseCode } from "../protocol/index.ts";
import type { SecurityEvent, SecurityLog } from "../security/security-log.ts";

/**
 * The security event log, also counted as metrics: every rate-limit hit, refused connection, guard
 * block and redaction is already a security event with its rule, so one decorator feeds
 * `agentd_rate_limited_total{kind}`, `agentd_ws_connections_refused_total{reason}`,
 * `agentd_guard_blocked_total{category}` and `agentd_guard_redactions_total{kind}` (rule ids and
 * categories are a fixed, small set: low-cardinality labels).
 */
export function countSecurityEvents(log: SecurityLog, metrics: MetricsRecorder): SecurityLog {
  return {
    record(event: SecurityEvent) {
      log.record(event);
      const rule = event.ruleId ?? "unknown";
      switch (event.kind) {
        case "rate_limit.hit":
          return metrics.inc("agentd_rate_limited_total", { kind: rule });
        case "connection.refused":
          return metrics.inc("agentd_ws_connections_refused_total", { reason: rule });
        case "input.blocked":
          return metrics.inc("agentd_guard_blocked_total", { category: rule });
        case "output.redacted":
          return metrics.inc("agentd_guard_redactions_total", { kind: rule }, event.count ?? 1);
      }
    },
  };
}

const REFUSAL_REASONS: Partial<Record<number, string>> = {
  [CloseCode.unauthenticated]: "unauthorized",
  [CloseCode.notFound]: "not_found",
  [CloseCode.tryAgainLater]: "unavailable",
};

/**
 * The `reason` label of a socket refused before it opened, by its close code; undefined for 4008,
 * which is counted by its rule from the security log (above).
 */
export const refusalReason = (closeCode: number): string | undefined => REFUSAL_REASONS[closeCode];
