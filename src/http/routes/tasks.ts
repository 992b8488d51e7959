import { Hono } from "hono";
import { AppError } from "../../errors.ts";
import type { HttpDeps, HttpEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";

const STATES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
const LIST_LIMIT = 200;

/** `GET /api/tasks/:id`: the caller's task; another user's answers 404, like a missing one. */
export function taskRoutes(deps: HttpDeps) {
  return new Hono<HttpEnv>()
    .use("*", requireUser(deps))
    .get("/:id", async (c) => c.json(await deps.tasks!.status(c.get("user").id, c.req.param("id"))));
}

/** `GET /api/admin/tasks?state=failed` and `POST /api/admin/tasks/:id/retry`, for admins only. */
export function adminTaskRoutes(deps: HttpDeps) {
  return new Hono<HttpEnv>()
    .use("*", requireUser(deps))
    .use("*", async (c, next) => {
      if (c.get("user").role !== "admin") throw new AppError("forbidden", "Only an admin may do this.");
      await next();
    })
    .get("/", async (c) => {
      const state = c.req.query("state") ?? "failed";
      if (!(STATES as readonly string[]).includes(state)) throw new AppError("bad_request", `state must be one of ${STATES.join(", ")}.`);
      return c.json(await deps.tasks!.list(state as (typeof STATES)[number], LIST_LIMIT));
    })
    .post("/:id/retry", async (c) => c.json(await deps.tasks!.retry(c.req.param("id")), 202));
}
