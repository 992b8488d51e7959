import { describe, expect, test } from "bun:test";
import type { TokenDenyList } from "../../src/deny-list/deny-list.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

/** The contract every TokenDenyList implementation passes. */
export function denyListSuite(options: { name: string; create(clock: FakeClock): Promise<TokenDenyList> | TokenDenyList }): void {
  describe(`TokenDenyList conformance: ${options.name}`, () => {
    test("a denied token stays denied until its expiry, then is forgotten", async () => {
      const clock = new FakeClock();
      const list = await options.create(clock);
      await list.deny("a", new Date(clock.now() + 60_000));
      expect(await list.isDenied("a")).toBe(true);
      expect(await list.isDenied("b")).toBe(false);
      await clock.advance(59_999);
      expect(await list.isDenied("a")).toBe(true);
      await clock.advance(1);
      expect(await list.isDenied("a")).toBe(false);
    });

    test("denying an already expired token stores nothing", async () => {
      const clock = new FakeClock();
      const list = await options.create(clock);
      await list.deny("old", new Date(clock.now() - 1));
      expect(await list.isDenied("old")).toBe(false);
    });
  });
}
