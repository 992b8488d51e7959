import { Hono } from "hono";
import { AppError } from "../errors.ts";
import type { HttpDeps } from "./context.ts";
import { onError, requireUser } from "./middleware.ts";
import { projectRoutes } from "./routes/projects.ts";
import { authRoutes } from "./routes/auth.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { healthRoutes } from "./routes/health.ts";
import { adminTaskRoutes, taskRoutes } from "./routes/tasks.ts";

/** The HTTP API (everything but the UI assets and the WebSocket upgrade). */
export function createHttpApp(deps: HttpDeps, log: (error: unknown) => void = console.error) {
  const api = new Hono()
    .route("/", authRoutes(deps))
    .route("/conversations", conversationRoutes(deps))
    .route("/tasks", taskRoutes(deps))
    .route("/admin/tasks", adminTaskRoutes(deps))
    .get("/info", (c) => c.json(deps.info()))
    .get("/agents", requireUser(deps), (c) => c.json({ agents: deps.agents }))
    .route("/projects", projectRoutes(deps))
    .all("*", () => {
      throw new AppError("not_found", "There is no such API endpoint.");
    });
  const app = new Hono().route("/", healthRoutes(deps)).route("/api", api);
  app.onError(onError(log));
  api.onError(onError(log));
  return app;
}
