import { Hono, type MiddlewareHandler } from "hono";
import { AppError } from "../../errors.ts";
import { GuardReportRequest, type GuardReportPage } from "../../protocol/index.ts";
import { parseBody } from "../body.ts";
import type { HttpDeps, HttpEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";

/** `POST /api/guard/reports`: the caller reports one of their own blocked messages as a false positive. */
export function guardRoutes(deps: HttpDeps) {
  return new Hono<HttpEnv>().use("*", requireUser(deps)).post("/reports", async (c) => {
    const { clientMessageId, conversationId } = await parseBody(c, GuardReportRequest);
    const report = await deps.guardReports.report(c.get("user").id, conversationId, clientMessageId);
    return c.json({ id: report.id, conversationId: report.conversationId, clientMessageId: report.clientMessageId, reportedAt: report.reportedAt }, 201);
  });
}

/** `GET /api/admin/guard/reports?cursor=`: reported messages for admins to review. */
export function guardAdminRoutes(deps: HttpDeps) {
  return new Hono<HttpEnv>()
    .use("*", requireUser(deps), requireAdmin)
    .get("/reports", async (c) => {
      const page = await deps.guardReports.list(c.req.query("cursor") || undefined);
      return c.json({ reports: page.items, nextCursor: page.nextCursor } satisfies GuardReportPage);
    });
}

const requireAdmin: MiddlewareHandler<HttpEnv> = async (c, next) => {
  if (c.get("user").role !== "admin") throw new AppError("forbidden", "Only administrators can do this.");
  await next();
};
