import { expect, test } from "bun:test";
import { autoThreads } from "../../src/app/worker-threads.ts";

test("workers.threads auto leaves one core to the main thread; one core runs agents on the main thread", () => {
  expect(autoThreads(1)).toBe(0);
  expect(autoThreads(2)).toBe(1);
  expect(autoThreads(8)).toBe(7);
});
