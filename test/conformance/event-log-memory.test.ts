import { expect, test } from "bun:test";
import { MemoryEventLog } from "../../src/events/memory.ts";
import { FakeClock } from "../helpers/clock.ts";
import { eventLogSuite } from "./event-log.suite.ts";

eventLogSuite({ name: "memory", create: (options) => new MemoryEventLog(options) });

test("a memory log starts a new epoch in every process (a restart loses its events)", async () => {
  const options = { maxPerConversation: 10, maxAgeMs: 1000, clock: new FakeClock() };
  expect(await new MemoryEventLog(options).epoch("c")).not.toBe(await new MemoryEventLog(options).epoch("c"));
});
