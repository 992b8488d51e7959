import { Hono } from "hono";
import type { HttpDeps } from "../context.ts";

/** `/healthz`: the process answers. `/readyz`: every readiness check passes (JSON says which failed). */
export function healthRoutes(deps: HttpDeps) {
  return new Hono()
    .get("/healthz", (c) => c.json({ status: "ok" }))
    .get("/readyz", async (c) => {
      const checks: Record<string, { ok: boolean; reason?: string }> = {};
      await Promise.all(
        Object.entries(deps.readiness).map(async ([name, check]) => {
          const reason = await check().catch((error: unknown) => String((error as Error)?.message ?? error));
          checks[name] = reason === null ? { ok: true } : { ok: false, reason };
        }),
      );
      const ready = Object.values(checks).every((check) => check.ok);
      const details = deps.readinessDetails ? await deps.readinessDetails().catch(() => ({})) : {};
      return c.json({ ready, checks, ...details }, ready ? 200 : 503);
    });
}
