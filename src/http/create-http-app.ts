import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { AppError } from "../errors.ts";
import type { HttpDeps, HttpEnv } from "./context.ts";
import { onError, requireUser } from "./middleware.ts";
import { anonymousLimit } from "./rate-limit-headers.ts";
import { projectRoutes } from "./routes/projects.ts";
import { securityHeaders } from "./security-headers.ts";
import { requestLog } from "./request-log.ts";
import { adminRoutes } from "./routes/admin.ts";
import { authRoutes } from "./routes/auth.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { guardAdminRoutes, guardRoutes } from "./routes/guard.ts";
import { healthRoutes } from "./routes/health.ts";
import { adminTaskRoutes, taskRoutes } from "./routes/tasks.ts";
import { metricsRoutes } from "./routes/metrics.ts";

/** Everything HTTP but the WebSocket upgrade: health, metrics, the API, and the UI files when `deps.ui` serves them. */
export function createHttpApp(deps: HttpDeps, log: (error: unknown, fields?: Record<string, unknown>) => void = console.error) {
  const api = new Hono<HttpEnv>()
    .use("*", anonymousLimit(deps))
    .route("/", authRoutes(deps))
    .route("/conversations", conversationRoutes(deps))
    .route("/tasks", taskRoutes(deps))
    .route("/admin/tasks", adminTaskRoutes(deps))
    .route("/guard", guardRoutes(deps))
    .route("/admin/guard", guardAdminRoutes(deps))
    .route("/admin", adminRoutes(deps))
    .get("/info", (c) => c.json(deps.info()))
    .get("/agents", requireUser(deps), (c) => c.json({ agents: deps.agents }))
    .route("/projects", projectRoutes(deps))
    .all("*", () => {
      throw new AppError("not_found", "There is no such API endpoint.");
    });
  const app = new Hono<HttpEnv>();
  app.use(requestId({ limitLength: 128 }));
  if (deps.logger) app.use(requestLog(deps.logger));
  app.use(securityHeaders(deps.config.ui.websocket_url, deps.config.server.tls.hsts_max_age_s));
  app.route("/", healthRoutes(deps));
  if (deps.metrics) app.route("/", metricsRoutes(deps.metrics, deps.config.metrics.token));
  app.route("/api", api);
  if (deps.ui) {
    const ui = deps.ui;
    app.get("*", async (c) => (await ui(c.req.raw)) ?? c.notFound());
  }
  app.onError(onError(log));
  api.onError(onError(log));
  return app;
}
