import { RateLimiterRedis } from "rate-limiter-flexible";
import type { Clock } from "../clock.ts";
import type { RedisClient } from "../redis/connection.ts";
import { viaRedis } from "../redis/unavailable.ts";
import { FlexibleRateLimiter } from "./flexible.ts";
import type { RateLimiter, RateRule } from "./rate-limiter.ts";

/**
 * The RateLimiter of one rule on Redis, shared by every node: rate-limiter-flexible's
 * `RateLimiterRedis` (one Lua script per consume: SET NX with the window's expiry, INCRBY, PTTL,
 * so concurrent nodes never both take the last slot). Windows run on Redis's clock in whole
 * seconds. Keys: `<prefix>limits:<rule id>:<key>`. Calls while Redis is unreachable reject with
 * AppError `redis_unavailable`.
 */
export function createRedisRateLimiter(rule: RateRule, client: RedisClient, prefix: string, clock: Clock): RateLimiter {
  const store = new RateLimiterRedis({
    storeClient: client,
    useRedisPackage: false,
    keyPrefix: `${prefix}limits:${rule.id}`,
    points: rule.limit,
    duration: Math.ceil(rule.windowMs / 1000),
  });
  const limiter = new FlexibleRateLimiter(rule, store, clock);
  return {
    rule,
    consume: (key, points) => viaRedis(limiter.consume(key, points)),
    peek: (key) => viaRedis(limiter.peek(key)),
    reset: (key) => viaRedis(limiter.reset(key)),
  };
}
