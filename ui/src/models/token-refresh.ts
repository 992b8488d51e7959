import type { Api } from "../api.ts";
import { realTimers, type Timers } from "../timers.ts";

/** After a failed renewal, try again this much later (while the token still lives). */
export const REFRESH_RETRY_MS = 30_000;
/** setTimeout's largest delay. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * How long to wait before renewing a token that lives `lifetimeMs` more: until three quarters of
 * it passed, or until 5 minutes before its end when that is later (a 1 h token: after 55 min).
 */
export function refreshDelay(lifetimeMs: number): number {
  return Math.min(MAX_DELAY_MS, Math.max(0, lifetimeMs * 0.75, lifetimeMs - 300_000));
}

/**
 * Renews the access token before it expires (`POST /api/auth/refresh`), so open sockets can be
 * handed the new one (`auth.refresh`) instead of being closed with 4001. The Api reports every
 * new token (login, refresh) to `tokenChanged`, which plans the next renewal.
 */
export function createTokenRefresh(deps: { api: Pick<Api, "refresh" | "expiresAt">; timers?: Timers; now?: () => number }) {
  const timers = deps.timers ?? realTimers;
  const now = deps.now ?? Date.now;
  let timer: unknown = null;
  let running = false;
  let expiresAt = 0;

  function clear(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  }

  function plan(delay: number): void {
    clear();
    timer = timers.setTimeout(() => void renew(), delay);
  }

  async function renew(): Promise<void> {
    timer = null;
    const renewed = await deps.api.refresh();
    // On success the Api reported the new token, which planned the next renewal.
    if (running && !renewed && now() + REFRESH_RETRY_MS < expiresAt) plan(REFRESH_RETRY_MS);
  }

  /** A new access token that expires at `expiry` (ISO 8601): renew it in time. */
  function tokenChanged(expiry: string): void {
    expiresAt = Date.parse(expiry);
    if (running && Number.isFinite(expiresAt)) plan(refreshDelay(expiresAt - now()));
  }

  return {
    tokenChanged,
    /** Signed in: renews in time, at once when the token's expiry is unknown (the page was loaded with a cookie). */
    start(): void {
      running = true;
      if (deps.api.expiresAt) tokenChanged(deps.api.expiresAt);
      else void renew();
    },
    /** Signed out: no more renewals. */
    stop(): void {
      running = false;
      clear();
    },
  };
}

export type TokenRefresh = ReturnType<typeof createTokenRefresh>;
