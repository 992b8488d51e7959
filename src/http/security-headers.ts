import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { contentSecurityPolicy } from "./content-security-policy.ts";
import type { HttpBindings, HttpEnv } from "./context.ts";

/**
 * The browser-side hardening of every HTTP answer (hono/secure-headers): a CSP that fits the UI —
 * which loads its script and CSS from bundled files, never inline — and forbids framing; no MIME
 * sniffing; no referrer leaves the page. Strict-Transport-Security only on requests that arrived
 * over TLS (directly or per a trusted proxy), since sending it over plain HTTP means nothing.
 */
export function securityHeaders(websocketUrl?: string, hstsMaxAgeSeconds = 31_536_000): MiddlewareHandler<HttpEnv> {
  const csp = contentSecurityPolicy(websocketUrl);
  const base = secureHeaders({
    contentSecurityPolicy: undefined,
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    strictTransportSecurity: false,
  });
  return async (c, next) => {
    await base(c, next);
    c.res.headers.set("Content-Security-Policy", csp);
    const secure = (c.env as HttpBindings | undefined)?.secure || new URL(c.req.url).protocol === "https:";
    if (secure && hstsMaxAgeSeconds > 0) c.res.headers.set("Strict-Transport-Security", `max-age=${hstsMaxAgeSeconds}`);
  };
}

/**
 * Whether a WebSocket upgrade may proceed: browsers always send `Origin`, so a page of another
 * site cannot open a socket with the user's cookie (cross-site WebSocket hijacking). Without an
 * allow-list the page must come from the host the request was sent to. A request with no Origin
 * is not from a browser page and passes (its credentials are checked as usual).
 */
export function originAllowed(request: Request, allowedOrigins: readonly string[], forwardedHost?: string | null): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (allowedOrigins.length > 0) return allowedOrigins.some((allowed) => allowed.toLowerCase() === parsed.origin);
  const host = (forwardedHost ?? request.headers.get("host"))?.toLowerCase();
  return host !== undefined && parsed.host === host;
}
