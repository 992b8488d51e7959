import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { systemClock, type Clock } from "../../src/clock.ts";
import type { RateLimiter, RateRule } from "../../src/limits/rate-limiter.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

export interface RateLimiterSuiteOptions {
  name: string;
  /** A fresh limiter for `rule` that reads time from `clock`, with no keys. */
  create(rule: RateRule, clock: Clock): Promise<RateLimiter> | RateLimiter;
  destroy?(): Promise<void> | void;
  /**
   * For a limiter whose windows run on its server's clock (Redis), which a fake clock cannot move:
   * the suite waits for real, with `windowMs` as the window, and allows `slackMs` on every time it checks.
   */
  realTime?: { windowMs: number; slackMs: number };
}

/** A clock the suite can move: the fake one, or real time (moving = waiting). */
type SuiteClock = Clock & { advance(ms: number): Promise<void> };
const realClock: SuiteClock = { ...systemClock, advance: (ms) => Bun.sleep(ms) };

/** The contract every RateLimiter implementation passes. */
export function rateLimiterSuite(options: RateLimiterSuiteOptions): void {
  const WINDOW = options.realTime?.windowMs ?? 60_000;
  const SLACK = options.realTime?.slackMs ?? 0;
  /** `actual` is `expected`, give or take the suite's slack. */
  const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(SLACK);

  describe(`RateLimiter conformance: ${options.name}`, () => {
    let clock: SuiteClock;
    const rule = { id: "test_rule", limit: 3, windowMs: WINDOW };
    const limiter = () => options.create(rule, clock);

    beforeEach(() => void (clock = options.realTime ? realClock : new FakeClock()));
    afterEach(async () => void (await options.destroy?.()));

    test("allows `limit` actions in a window, then refuses with the time left", async () => {
      const rl = await limiter();
      const first = await rl.consume("k");
      expect(first).toMatchObject({ allowed: true, limit: 3, remaining: 2, retryAfterMs: 0 });
      near(first.resetAt, clock.now() + WINDOW);
      await clock.advance(WINDOW / 6);
      expect((await rl.consume("k")).remaining).toBe(1);
      expect((await rl.consume("k")).remaining).toBe(0);
      const refused = await rl.consume("k");
      expect(refused.allowed).toBe(false);
      near(refused.retryAfterMs, (WINDOW * 5) / 6);
      near(refused.resetAt, clock.now() + (WINDOW * 5) / 6);
    });

    test("a new window opens when the old one has passed", async () => {
      const rl = await limiter();
      for (let i = 0; i < 4; i++) await rl.consume("k");
      await clock.advance(WINDOW - 1 - SLACK);
      expect((await rl.consume("k")).allowed).toBe(false);
      await clock.advance(1 + 2 * SLACK);
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
      const full = await rl.peek("k");
      expect(full).toMatchObject({ allowed: false, remaining: 0 });
      near(full.retryAfterMs, WINDOW);
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
