import { expect, test } from "bun:test";
import { MemoryTokenDenyList } from "../../src/deny-list/memory.ts";
import { denyListSuite } from "../conformance/deny-list.suite.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

denyListSuite({ name: "memory", create: (clock) => new MemoryTokenDenyList(clock) });

test("expired entries are swept, so the list holds only live tokens", async () => {
  const clock = new FakeClock();
  const list = new MemoryTokenDenyList(clock);
  for (let i = 0; i < 300; i++) {
    await list.deny(`t${i}`, new Date(clock.now() + 1_000));
    await clock.advance(100);
  }
  expect(list.size).toBeLessThan(100);
});
