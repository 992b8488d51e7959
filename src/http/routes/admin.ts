import { Hono, type MiddlewareHandler } from "hono";
import { AppError } from "../../errors.ts";
import { UsageQuery, type UsageReport } from "../../protocol/index.ts";
import type { UsageStore } from "../../storage/app-store.ts";
import type { HttpDeps, HttpEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

/** Admin-only endpoints: `GET /admin/usage`, tokens per user per day. */
export function adminRoutes(deps: HttpDeps & { usage: UsageStore }) {
  return new Hono<HttpEnv>()
    .use("*", requireUser(deps), requireAdmin())
    .get("/usage", async (c) => {
      const { from, to } = usageRange(c.req.query());
      const days = await deps.usage.dailyByUser({ from, to });
      const report: UsageReport = {
        from,
        to,
        days: days.map((day) => ({ ...day, totalTokens: day.inputTokens + day.outputTokens })),
      };
      return c.json(report);
    });
}

function requireAdmin(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (c.get("user").role !== "admin") throw new AppError("forbidden", "Only an administrator may see this.");
    await next();
  };
}

/** The days asked for: default the last 30 (UTC) up to today; at most a year; `from` not after `to`. */
export function usageRange(query: Record<string, string>, today = new Date()): { from: string; to: string } {
  const parsed = UsageQuery.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("bad_request", `${issue.path.join(".") || "query"}: ${issue.message}`);
  }
  const to = parsed.data.to ?? today.toISOString().slice(0, 10);
  const from = parsed.data.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  const span = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  if (Number.isNaN(span)) throw new AppError("bad_request", "from and to must be real dates (YYYY-MM-DD).");
  if (span < 0) throw new AppError("bad_request", "from must not be after to.");
  if (span >= MAX_DAYS) throw new AppError("bad_request", `Ask for at most ${MAX_DAYS} days at once.`);
  return { from, to };
}
