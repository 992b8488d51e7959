import { describe, expect, test } from "bun:test";
import { systemClock, type Clock } from "../../src/clock.ts";
import type { BreakerOptions, CircuitBreakers } from "../../src/breaker/breaker.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

export interface BreakerSuiteOptions {
  name: string;
  /** Fresh breakers (no model known yet) with `options`, reading time from `clock`. */
  create(options: BreakerOptions, clock: Clock): Promise<CircuitBreakers> | CircuitBreakers;
  /** Breakers over the same state (another node), when the implementation shares it. */
  reopen?(options: BreakerOptions, clock: Clock): Promise<CircuitBreakers> | CircuitBreakers;
  /**
   * For breakers whose open window runs on their server's clock (Redis): the suite waits for real,
   * with `openMs` as the window, and tests the boundary `slackMs` either side.
   */
  realTime?: { openMs: number; slackMs: number };
}

type SuiteClock = Clock & { advance(ms: number): Promise<void> };
const realClock: SuiteClock = { ...systemClock, advance: (ms) => Bun.sleep(ms) };

/** The contract of `CircuitBreakers`, run against every implementation. */
export function breakerSuite({ name, create, reopen, realTime }: BreakerSuiteOptions) {
  const OPEN_MS = realTime?.openMs ?? 30_000;
  const SLACK = realTime?.slackMs ?? 0;
  const options: BreakerOptions = { failures: 3, openMs: OPEN_MS, successes: 2 };
  const fresh = async () => {
    const clock: SuiteClock = realTime ? realClock : new FakeClock();
    return { clock, breakers: await create(options, clock) };
  };
  const fail = async (breakers: CircuitBreakers, model: string, times: number) => {
    for (let i = 0; i < times; i++) {
      expect(await breakers.acquire(model)).toEqual({ allowed: true, trial: false });
      await breakers.record(model, "failure", false);
    }
  };

  describe(`CircuitBreakers conformance: ${name}`, () => {
    test("a closed breaker lets calls through; consecutive failures open it, and it refuses until its window passes", async () => {
      const { clock, breakers } = await fresh();
      expect(await breakers.snapshot()).toEqual({});
      await fail(breakers, "llm", 2);
      expect((await breakers.snapshot()).llm).toEqual({ state: "closed", consecutiveFailures: 2 });
      await fail(breakers, "llm", 1);
      const refused = await breakers.acquire("llm");
      expect(refused.allowed).toBe(false);
      if (!refused.allowed) expect(Math.abs(refused.retryAfterMs - OPEN_MS)).toBeLessThanOrEqual(SLACK);
      expect((await breakers.snapshot()).llm).toMatchObject({ state: "open", consecutiveFailures: 3 });
      await clock.advance(OPEN_MS - 1 - SLACK);
      expect((await breakers.acquire("llm")).allowed).toBe(false);
      await clock.advance(1 + 2 * SLACK);
      expect((await breakers.snapshot()).llm?.state).toBe("half_open");
      expect(await breakers.acquire("llm")).toEqual({ allowed: true, trial: true });
    });

    test("a success resets the count of failures; ignored outcomes change nothing; models are apart", async () => {
      const { breakers } = await fresh();
      await fail(breakers, "llm", 2);
      await breakers.acquire("llm");
      await breakers.record("llm", "success", false);
      await fail(breakers, "llm", 2);
      await breakers.acquire("llm");
      await breakers.record("llm", "ignored", false);
      await fail(breakers, "llm.fallback", 3);
      expect(await breakers.snapshot()).toMatchObject({
        llm: { state: "closed", consecutiveFailures: 2 },
        "llm.fallback": { state: "open", consecutiveFailures: 3 },
      });
      expect(await breakers.acquire("llm")).toEqual({ allowed: true, trial: false });
    });

    test("half-open: one trial at a time; enough successful trials close it, a failed one opens it again", async () => {
      const { clock, breakers } = await fresh();
      await fail(breakers, "llm", 3);
      await clock.advance(OPEN_MS + SLACK);
      expect(await breakers.acquire("llm")).toEqual({ allowed: true, trial: true });
      const busy = await breakers.acquire("llm");
      expect(busy.allowed).toBe(false);
      if (!busy.allowed) expect(busy.retryAfterMs).toBeGreaterThan(0);
      await breakers.record("llm", "success", true);
      expect(await breakers.acquire("llm")).toEqual({ allowed: true, trial: true });
      await breakers.record("llm", "success", true);
      expect((await breakers.snapshot()).llm).toEqual({ state: "closed", consecutiveFailures: 0 });

      await fail(breakers, "llm", 3);
      await clock.advance(OPEN_MS + SLACK);
      expect(await breakers.acquire("llm")).toEqual({ allowed: true, trial: true });
      await breakers.record("llm", "failure", true);
      expect((await breakers.snapshot()).llm?.state).toBe("open");
      expect((await breakers.acquire("llm")).allowed).toBe(false);
    });

    if (reopen) {
      test("the state is shared: failures on one node open the breaker on another, and only one trial runs among them", async () => {
        const { clock, breakers: first } = await fresh();
        const second = await reopen(options, clock);
        await fail(first, "llm", 2);
        await fail(second, "llm", 1);
        expect((await first.acquire("llm")).allowed).toBe(false);
        await clock.advance(OPEN_MS + SLACK);
        const trials = await Promise.all([first.acquire("llm"), second.acquire("llm")]);
        expect(trials.filter((permit) => permit.allowed)).toHaveLength(1);
      });
    }
  });
}
