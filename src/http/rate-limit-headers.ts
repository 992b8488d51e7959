import type { Context, MiddlewareHandler } from "hono";
import { errorBody } from "../errors.ts";
import type { RateDecision } from "../limits/rate-limiter.ts";
import { rateLimited } from "../limits/rate-limits.ts";
import { clientIpOf, type HttpDeps, type HttpEnv } from "./context.ts";

/**
 * The rate-limit headers of a response (IETF httpapi-ratelimit-headers): `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` (seconds until the window ends), and `Retry-After`
 * (seconds) when the request was refused.
 */
export function rateLimitHeaders(decision: RateDecision, now: number = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(decision.remaining),
    "RateLimit-Reset": String(Math.max(0, Math.ceil((decision.resetAt - now) / 1000))),
  };
  if (!decision.allowed) headers["Retry-After"] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  return headers;
}

/** Puts the headers of `decision` on the response `c` is building. */
export function setRateLimitHeaders(c: Context, decision: RateDecision | null, now?: number): void {
  if (!decision) return;
  for (const [name, value] of Object.entries(rateLimitHeaders(decision, now))) c.header(name, value);
}

/**
 * `limits.anonymous_per_hour`: every API answer 401 (no or bad credentials) counts against the
 * client's IP; past the limit the answer becomes 429 with Retry-After. Requests with valid
 * credentials never count, nor does the login itself (it has `limits.login_failures`).
 */
export function anonymousLimit(deps: HttpDeps): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    await next();
    if (!deps.rateLimits || c.res.status !== 401 || c.req.path.endsWith("/auth/login")) return;
    const ip = clientIpOf(c);
    deps.security?.record({ kind: "auth.failure", ip, reason: "unauthenticated API request" });
    const decision = await deps.rateLimits.anonymousFailure(ip);
    if (!decision) return;
    const headers = rateLimitHeaders(decision, (deps.now ?? Date.now)());
    if (decision.allowed) {
      for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
      return;
    }
    c.res = c.json(errorBody(rateLimited(decision, "Too many unauthenticated requests from your address.")), 429, headers);
  };
}
