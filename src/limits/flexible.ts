import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Clock } from "../clock.ts";
import type { RateDecision, RateLimiter, RateRule } from "./rate-limiter.ts";

/**
 * A RateLimiter over any `rate-limiter-flexible` limiter (its memory, Redis, Postgres… stores):
 * the library's consume/reject contract mapped onto RateDecision. Shared by every implementation.
 */
export class FlexibleRateLimiter implements RateLimiter {
  constructor(
    readonly rule: RateRule,
    private readonly limiter: RateLimiterAbstract,
    private readonly clock: Clock,
  ) {}

  async consume(key: string, points = 1): Promise<RateDecision> {
    try {
      return this.decision(true, await this.limiter.consume(key, points));
    } catch (rejection) {
      // The library rejects with a RateLimiterRes when over the limit, with an Error when the store failed.
      if (rejection instanceof RateLimiterRes) return this.decision(false, rejection);
      throw rejection;
    }
  }

  async peek(key: string): Promise<RateDecision> {
    const res = await this.limiter.get(key);
    if (!res) return { allowed: true, limit: this.rule.limit, remaining: this.rule.limit, resetAt: this.clock.now(), retryAfterMs: 0 };
    return this.decision(res.consumedPoints < this.rule.limit, res);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }

  private decision(allowed: boolean, res: RateLimiterRes): RateDecision {
    const msLeft = Math.max(0, res.msBeforeNext);
    return {
      allowed,
      limit: this.rule.limit,
      remaining: Math.max(0, this.rule.limit - res.consumedPoints),
      resetAt: this.clock.now() + msLeft,
      retryAfterMs: allowed ? 0 : msLeft,
    };
  }
}
