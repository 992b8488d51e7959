import type { AuthService } from "../auth/auth-service.ts";
import type { ConversationService } from "../chat/conversation-service.ts";
import type { Config } from "../config/schema.ts";
import type { GuardReportService } from "../guard/report-service.ts";
import type { ServerInfo } from "../protocol/index.ts";
import type { User } from "../storage/types.ts";

/** What the HTTP routes need, handed in by the composition root. */
export interface HttpDeps {
  config: Config;
  auth: AuthService;
  conversations: ConversationService;
  /** Readiness checks by name: each resolves to null when fine, or a reason. */
  readiness: Record<string, () => Promise<string | null>>;
  info: () => ServerInfo;
  guardReports: GuardReportService;
}

/** Hono context variables set by the auth middleware. */
export type HttpEnv = { Variables: { user: User; sessionId?: string } };
