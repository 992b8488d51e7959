import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log.ts";
import type { HttpEnv } from "./context.ts";

/** Probes and scrapes come every few seconds: logged at debug so they do not drown the rest. */
const QUIET = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * One line per request after it is answered: id, method, path (never the query: it may hold a
 * token), status, duration and the user when known. Bodies are never logged.
 */
export function requestLog(log: Logger): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const user = c.get("user");
    const fields = {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(user ? { userId: user.id } : {}),
    };
    if (QUIET.has(c.req.path)) log.debug("http request", fields);
    else if (c.res.status >= 500) log.warn("http request", fields);
    else log.info("http request", fields);
  };
}
