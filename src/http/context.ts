import type { AuthService } from "../auth/auth-service.ts";
import type { ConversationService } from "../chat/conversation-service.ts";
import type { Config } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import type { ServerInfo } from "../protocol/index.ts";
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
  /** Token usage for `GET /api/admin/usage`. */
  usage: UsageStore;
  /** Serves `GET /metrics` on this app; unset when metrics are off or on their own listener. */
  metrics?: MetricsSource;
  /** Request log: one line per request with its id (at debug for probes and scrapes). */
  logger?: Logger;
}

/** Hono context variables set by the auth middleware. */
export type HttpEnv = { Variables: { user: User; sessionId?: string; requestId: string } };
