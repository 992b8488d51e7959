import { expect, test } from "bun:test";
import { TokenBucket } from "../../src/work/rate-limit.ts";
import { isRetryable, retryDelayMs } from "../../src/work/retry-policy.ts";
import { FakeClock } from "../helpers/clock.ts";

test("queue.tasks_per_minute: a burst of the whole minute's tasks, then one every 60/N seconds", () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(6, clock);
  for (let i = 0; i < 6; i++) {
    expect(bucket.waitMs()).toBe(0);
    bucket.take();
  }
  expect(bucket.waitMs()).toBe(10_000);
  clock.advance(9_999);
  expect(bucket.waitMs()).toBe(1);
  clock.advance(1);
  expect(bucket.waitMs()).toBe(0);
});

test("retry delays double from the base, with jitter between half and all, capped at a minute", () => {
  expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
  expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
  expect(retryDelayMs(3, 1000, () => 1)).toBe(4000);
  expect(retryDelayMs(20, 1000, () => 1)).toBe(60_000);
  expect(isRetryable({ kind: "end", reason: "failed", error: { code: "model_error", message: "", retryable: true }, modelFailure: { status: 429 } })).toBe(true);
  expect(isRetryable({ kind: "end", reason: "failed", error: { code: "model_error", message: "", retryable: false }, modelFailure: { status: 400 } })).toBe(false);
  expect(isRetryable({ kind: "end", reason: "failed", error: { code: "internal", message: "", retryable: true } })).toBe(false);
});
