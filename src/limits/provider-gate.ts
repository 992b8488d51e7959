import { sleep, type Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import type { SecurityLog } from "../security/security-log.ts";
import type { RateLimiter } from "./rate-limiter.ts";

/**
 * Called before every request to the model provider; resolves when the request may go. Rejects
 * with the signal's abort (the client's own timeout) turned into AppError `rate_limited`.
 */
export type ProviderGate = (signal?: AbortSignal | null) => Promise<void>;

/** No cap: every call goes at once. */
export const openProviderGate: ProviderGate = async () => {};

/**
 * `limits.llm_requests_per_minute`: one counter for the whole node (every worker thread asks the
 * main thread, which owns this gate). A call over the cap waits for the next window instead of
 * failing, so a burst is spread out rather than refused; the model client's own timeout bounds
 * the wait.
 */
export function createProviderGate(limiter: RateLimiter | undefined, clock: Clock, security: SecurityLog): ProviderGate {
  if (!limiter) return openProviderGate;
  return async (signal) => {
    let logged = false;
    for (;;) {
      const decision = await limiter.consume("provider");
      if (decision.allowed) return;
      if (!logged) security.record({ kind: "rate_limit.hit", ruleId: limiter.rule.id });
      logged = true;
      try {
        await sleep(clock, decision.retryAfterMs, signal ?? undefined);
      } catch (abort) {
        throw new AppError(
          "rate_limited",
          "The server's cap on model requests (limits.llm_requests_per_minute) is reached and this reply waited too long to start. Please try again.",
          { retryAfterMs: decision.retryAfterMs, cause: abort },
        );
      }
    }
  };
}
