import { Hono } from "hono";
import { AppError } from "../errors.ts";
import type { HttpDeps } from "./context.ts";
import { onError } from "./middleware.ts";
import { authRoutes } from "./routes/auth.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { guardAdminRoutes, guardRoutes } from "./routes/guard.ts";
import { healthRoutes } from "./routes/health.ts";

/** The HTTP API (everything but the UI assets and the WebSocket upgrade). */
export function createHttpApp(deps: HttpDeps, log: (error: unknown) => void = console.error) {
  const api = new Hono()
    .route("/", authRoutes(deps))
    .route("/conversations", conversationRoutes(deps))
    .route("/guard", guardRoutes(deps))
    .route("/admin/guard", guardAdminRoutes(deps))
    .get("/info", (c) => c.json(deps.info()))
    .all("*", () => {
      throw new AppError("not_found", "There is no such API endpoint.");
    });
  const app = new Hono().route("/", healthRoutes(deps)).route("/api", api);
  app.onError(onError(log));
  api.onError(onError(log));
  return app;
}
