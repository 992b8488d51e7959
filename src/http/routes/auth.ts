import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { LoginResult } from "../../auth/auth-service.ts";
import { ACCESS_COOKIE, REFRESH_COOKIE, REFRESH_COOKIE_PATH } from "../../auth/cookies.ts";
import { AppError } from "../../errors.ts";
import { LoginRequest } from "../../protocol/index.ts";
import { parseBody } from "../body.ts";
import { clientIpOf, type HttpDeps, type HttpEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";
import { setRateLimitHeaders } from "../rate-limit-headers.ts";

/** Login, token refresh (rotating the refresh cookie), logout, and who am I. */
export function authRoutes(deps: HttpDeps) {
  const now = deps.now ?? Date.now;
  const secure = (c: Context) =>
    deps.config.server.secure_cookies === "always" ||
    (deps.config.server.secure_cookies === "auto" && new URL(c.req.url).protocol === "https:");

  const issueCookies = (c: Context, result: LoginResult) => {
    const maxAge = (until: Date) => Math.max(0, Math.floor((until.getTime() - now()) / 1000));
    setCookie(c, ACCESS_COOKIE, result.access.token, {
      httpOnly: true, sameSite: "Strict", secure: secure(c), path: "/", maxAge: maxAge(result.access.expiresAt),
    });
    setCookie(c, REFRESH_COOKIE, result.refresh.token, {
      httpOnly: true, sameSite: "Strict", secure: secure(c), path: REFRESH_COOKIE_PATH, maxAge: maxAge(result.refresh.expiresAt),
    });
    return c.json({ token: result.access.token, expiresAt: result.access.expiresAt.toISOString() });
  };

  const clearCookies = (c: Context) => {
    deleteCookie(c, ACCESS_COOKIE, { path: "/" });
    deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
  };

  return new Hono<HttpEnv>()
    .post("/auth/login", async (c) => {
      const body = await parseBody(c, LoginRequest);
      const limits = deps.rateLimits;
      if (!limits) return issueCookies(c, await deps.auth.login(body.username, body.password));
      // limits.login_failures: refused (429) per IP and per IP+username; per username only slowed.
      const ip = clientIpOf(c);
      setRateLimitHeaders(c, await limits.beforeLogin(ip, body.username), now());
      try {
        const result = await deps.auth.login(body.username, body.password);
        await limits.loginSucceeded(ip, body.username);
        return issueCookies(c, result);
      } catch (error) {
        if (error instanceof AppError && error.code === "unauthorized") setRateLimitHeaders(c, await limits.loginFailed(ip, body.username), now());
        throw error;
      }
    })
    .post("/auth/refresh", async (c) => {
      const refreshToken = getCookie(c, REFRESH_COOKIE);
      if (!refreshToken) throw new AppError("unauthorized", "There is no session to refresh; please log in.");
      try {
        return issueCookies(c, await deps.auth.refresh(refreshToken));
      } catch (error) {
        clearCookies(c);
        throw error;
      }
    })
    .post("/auth/logout", async (c) => {
      const refreshToken = getCookie(c, REFRESH_COOKIE);
      const accessToken = getCookie(c, ACCESS_COOKIE) ?? c.req.header("authorization")?.replace(/^Bearer /, "");
      const access = accessToken ? await deps.auth.authenticate(accessToken).catch(() => undefined) : undefined;
      if (access) deps.security?.record({ kind: "auth.revoked", userId: access.user.id, ip: clientIpOf(c), reason: "logout" });
      await deps.auth.logout({
        refreshToken,
        sessionId: access?.sessionId,
        accessToken: access && { userId: access.user.id, tokenId: access.tokenId, expiresAt: access.expiresAt },
      });
      clearCookies(c);
      return c.body(null, 204);
    })
    .get("/me", requireUser(deps), (c) => {
      const user = c.get("user");
      return c.json({ id: user.id, username: user.username, role: user.role });
    });
}
