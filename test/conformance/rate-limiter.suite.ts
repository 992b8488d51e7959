import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { RateLimiter, RateRule } from "../../src/limits/rate-limiter.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

export interface RateLimiterSuiteOptions {
  name: string;
  /** A fresh limiter for `rule` that reads time from `clock`, with no keys. */
  create(rule: RateRule, clock: FakeClock): Promise<RateLimiter> | RateLimiter;
  destroy?(): Promise<void> | void;
}

/** The contract every RateLimiter implementation passes. */
export function rateLimiterSuite(options: RateLimiterSuiteOptions): void {
  describe(`RateLimiter conformance: ${options.name}`, () => {
    let clock: FakeClock;
    const rule = { id: "test_rule", limit: 3, windowMs: 60_000 };
    const limiter = () => options.create(rule, clock);

    beforeEach(() => void (clock = new FakeClock()));
    afterEach(async () => void (await options.destroy?.()));

    test("allows `limit` actions in a window, then refuses with the time left", async () => {
      const rl = await limiter();
      const first = await rl.consume("k");
      expect(first).toEqual({ allowed: true, limit: 3, remaining: 2, resetAt: clock.now() + 60_000, retryAfterMs: 0 });
      await clock.advance(10_000);
      expect((await rl.consume("k")).remaining).toBe(1);
      expect((await rl.consume("k")).remaining).toBe(0);
      const refused = await rl.consume("k");
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBe(50_000);
      expect(refused.resetAt).toBe(clock.now() + 50_000);
    });

    test("a new window opens when the old one has passed", async () => {
      const rl = await limiter();
      for (let i = 0; i < 4; i++) await rl.consume("k");
      await clock.advance(59_999);
      expect((await rl.consume("k")).allowed).toBe(false);
      await clock.advance(1);
      expect(await rl.consume("k")).toMatchObject({ allowed: true, remaining: 2 });
    });

    test("keys are counted apart", async () => {
      const rl = await limiter();
      for (let i = 0; i < 3; i++) await rl.consume("a");
      expect((await rl.consume("a")).allowed).toBe(false);
      expect((await rl.consume("b")).allowed).toBe(true);
    });

    test("peek reports without counting; reset forgets the key", async () => {
      const rl = await limiter();
      expect(await rl.peek("k")).toMatchObject({ allowed: true, remaining: 3, retryAfterMs: 0 });
      await rl.consume("k", 3);
      expect(await rl.peek("k")).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 60_000 });
      expect(await rl.peek("k")).toMatchObject({ remaining: 0 });
      await rl.reset("k");
      expect(await rl.peek("k")).toMatchObject({ allowed: true, remaining: 3 });
    });

    test("concurrent consumers never share the last slot", async () => {
      const rl = await limiter();
      const decisions = await Promise.all(Array.from({ length: 20 }, () => rl.consume("k")));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    });
  });
}
