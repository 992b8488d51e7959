import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { ACCESS_COOKIE } from "../auth/cookies.ts";
import { AppError, errorBody, toAppError } from "../errors.ts";
import type { HttpDeps, HttpEnv } from "./context.ts";

/** Requires a valid access token (cookie, then `Authorization: Bearer`) and an active user. */
export function requireUser(deps: HttpDeps): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const token = getCookie(c, ACCESS_COOKIE) ?? (header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined);
    if (!token) throw new AppError("unauthorized", "Log in first.");
    const { user, sessionId } = await deps.auth.authenticate(token);
    c.set("user", user);
    c.set("sessionId", sessionId);
    await next();
  };
}

/** The one translation of errors into HTTP responses: `{error: {code, message}}`. */
export function onError(log: (error: unknown, fields?: Record<string, unknown>) => void) {
  return (error: Error, c: Context) => {
    const appError = toAppError(error);
    if (appError.code === "internal") log(error, { requestId: c.get("requestId"), method: c.req.method, path: c.req.path });
    const headers: Record<string, string> = {};
    if (appError.retryAfterMs !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(appError.retryAfterMs / 1000)));
    if (appError.code === "rate_limited" && typeof appError.details?.limit === "number") {
      headers["RateLimit-Limit"] = String(appError.details.limit);
      headers["RateLimit-Remaining"] = "0";
      headers["RateLimit-Reset"] = headers["Retry-After"] ?? "0";
    }
    return c.json(errorBody(appError), appError.status as 400, headers);
  };
}
