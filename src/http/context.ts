import type { AuthService } from "../auth/auth-service.ts";
import type { ConversationService } from "../chat/conversation-service.ts";
import type { TaskService } from "../chat/task-service.ts";
import type { Config } from "../config/schema.ts";
import type { RateLimits } from "../limits/rate-limits.ts";
import type { AgentInfo, ServerInfo } from "../protocol/index.ts";
import type { SecurityLog } from "../security/security-log.ts";
import type { ProjectStore } from "../storage/app-store.ts";
import type { GuardReportService } from "../guard/report-service.ts";
import type { Logger } from "../log.ts";
import type { UsageStore } from "../storage/app-store.ts";
import type { User } from "../storage/types.ts";
import type { MetricsSource } from "./routes/metrics.ts";

/** What the HTTP routes need, handed in by the composition root. */
export interface HttpDeps {
  config: Config;
  auth: AuthService;
  conversations: ConversationService;
  /** Readiness checks by name: each resolves to null when fine, or a reason. */
  readiness: Record<string, () => Promise<string | null>>;
  info: () => ServerInfo;
  agents: AgentInfo[];
  projects: ProjectStore;
  /** Task status and the failed-task admin API. */
  tasks?: TaskService;
  /** Extra facts `/readyz` shows (e.g. the model breakers); they do not decide readiness. */
  readinessDetails?: () => Promise<Record<string, unknown>>;
  /** Login, anonymous-request and other rate rules; absent = none. */
  rateLimits?: RateLimits;
  security?: SecurityLog;
  /** The UI's files (page, script, CSS) by request; null when there is no such file. */
  ui?: (request: Request) => Promise<Response | null>;
  /** The server's clock (ms since the epoch), for rate-limit headers; Date.now when absent. */
  now?: () => number;
  guardReports: GuardReportService;
  /** Token usage for `GET /api/admin/usage`. */
  usage: UsageStore;
  /** Serves `GET /metrics` on this app; unset when metrics are off or on their own listener. */
  metrics?: MetricsSource;
  /** Request log: one line per request with its id (at debug for probes and scrapes). */
  logger?: Logger;
}

/** Hono context variables set by the auth middleware. */
export type HttpEnv = { Variables: { user: User; sessionId?: string; requestId: string }; Bindings: HttpBindings };

/** What the server tells the HTTP app about a request (second argument of `fetch`). */
export interface HttpBindings {
  /** The client's IP as the trusted-proxy rules resolve it. */
  clientIp?: string;
  /** The request reached us (or the trusted proxy in front) over TLS. */
  secure?: boolean;
}

/** The client IP of a request; `unknown` when the app runs without a server (tests through app.request). */
export function clientIpOf(c: { env: unknown }): string {
  return (c.env as HttpBindings | undefined)?.clientIp ?? "unknown";
}
