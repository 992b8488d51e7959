import { describe, expect, test } from "bun:test";
import { systemClock, type Clock } from "../../src/clock.ts";
import type { TokenDenyList } from "../../src/deny-list/deny-list.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

/** A clock the suite can move: the fake one, or real time (moving = waiting). */
type SuiteClock = Clock & { advance(ms: number): Promise<void> };
const realClock: SuiteClock = { ...systemClock, advance: (ms) => Bun.sleep(ms) };

/**
 * The contract every TokenDenyList implementation passes. `realTime` is for a list whose expiry
 * runs on its server's clock (Redis): the suite then waits for real, with tokens living `ttlMs`,
 * and tests the boundary `slackMs` either side.
 */
export function denyListSuite(options: {
  name: string;
  create(clock: Clock): Promise<TokenDenyList> | TokenDenyList;
  realTime?: { ttlMs: number; slackMs: number };
}): void {
  const TTL = options.realTime?.ttlMs ?? 60_000;
  const SLACK = options.realTime?.slackMs ?? 0;
  const newClock = (): SuiteClock => (options.realTime ? realClock : new FakeClock());

  describe(`TokenDenyList conformance: ${options.name}`, () => {
    test("a denied token stays denied until its expiry, then is forgotten", async () => {
      const clock = newClock();
      const list = await options.create(clock);
      await list.deny("a", new Date(clock.now() + TTL));
      expect(await list.isDenied("a")).toBe(true);
      expect(await list.isDenied("b")).toBe(false);
      await clock.advance(TTL - 1 - SLACK);
      expect(await list.isDenied("a")).toBe(true);
      await clock.advance(1 + 2 * SLACK);
      expect(await list.isDenied("a")).toBe(false);
    });

    test("denying an already expired token stores nothing", async () => {
      const clock = newClock();
      const list = await options.create(clock);
      await list.deny("old", new Date(clock.now() - 1));
      expect(await list.isDenied("old")).toBe(false);
    });
  });
}
