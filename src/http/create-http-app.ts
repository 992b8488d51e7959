import { Hono } from "hono";
import { AppError } from "../errors.ts";
import type { HttpDeps, HttpEnv } from "./context.ts";
import { onError, requireUser } from "./middleware.ts";
import { anonymousLimit } from "./rate-limit-headers.ts";
import { projectRoutes } from "./routes/projects.ts";
import { securityHeaders } from "./security-headers.ts";
import { authRoutes } from "./routes/auth.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { guardAdminRoutes, guardRoutes } from "./routes/guard.ts";
import { healthRoutes } from "./routes/health.ts";
import { adminTaskRoutes, taskRoutes } from "./routes/tasks.ts";

/** Everything HTTP but the WebSocket upgrade: health, the API, and the UI files when `deps.ui` serves them. */
export function createHttpApp(deps: HttpDeps, log: (error: unknown) => void = console.error) {
  const api = new Hono<HttpEnv>()
    .use("*", anonymousLimit(deps))
    .route("/", authRoutes(deps))
    .route("/conversations", conversationRoutes(deps))
    .route("/tasks", taskRoutes(deps))
    .route("/admin/tasks", adminTaskRoutes(deps))
    .route("/guard", guardRoutes(deps))
    .route("/admin/guard", guardAdminRoutes(deps))
    .get("/info", (c) => c.json(deps.info()))
    .get("/agents", requireUser(deps), (c) => c.json({ agents: deps.agents }))
    .route("/projects", projectRoutes(deps))
    .all("*", () => {
      throw new AppError("not_found", "There is no such API endpoint.");
    });
  const app = new Hono<HttpEnv>().use("*", securityHeaders(deps.config.ui.websocket_url)).route("/", healthRoutes(deps)).route("/api", api);
  if (deps.ui) {
    const ui = deps.ui;
    app.get("*", async (c) => (await ui(c.req.raw)) ?? c.notFound());
  }
  app.onError(onError(log));
  api.onError(onError(log));
  return app;
}
