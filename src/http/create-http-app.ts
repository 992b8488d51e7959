import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { AppError } from "../errors.ts";
import type { HttpDeps, HttpEnv } from "./context.ts";
import { onError } from "./middleware.ts";
import { requestLog } from "./request-log.ts";
import { adminRoutes } from "./routes/admin.ts";
import { authRoutes } from "./routes/auth.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { healthRoutes } from "./routes/health.ts";
import { metricsRoutes } from "./routes/metrics.ts";

/** The HTTP API (everything but the UI assets and the WebSocket upgrade). */
export function createHttpApp(deps: HttpDeps, log: (error: unknown, fields?: Record<string, unknown>) => void = console.error) {
  const api = new Hono<HttpEnv>()
    .route("/", authRoutes(deps))
    .route("/conversations", conversationRoutes(deps))
    .route("/admin", adminRoutes(deps))
    .get("/info", (c) => c.json(deps.info()))
    .all("*", () => {
      throw new AppError("not_found", "There is no such API endpoint.");
    });
  const app = new Hono<HttpEnv>();
  app.use(requestId({ limitLength: 128 }));
  if (deps.logger) app.use(requestLog(deps.logger));
  const { cert, hsts_max_age_s: hstsMaxAge } = deps.config.server.tls;
  if (cert && hstsMaxAge > 0) {
    // Once agentd serves TLS itself, browsers should never try plain http first.
    app.use(async (c, next) => {
      await next();
      c.header("Strict-Transport-Security", `max-age=${hstsMaxAge}`);
    });
  }
  app.route("/", healthRoutes(deps));
  if (deps.metrics) app.route("/", metricsRoutes(deps.metrics, deps.config.metrics.token));
  app.route("/api", api);
  app.onError(onError(log));
  api.onError(onError(log));
  return app;
}
