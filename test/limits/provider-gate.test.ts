import { describe, expect, test } from "bun:test";
import { AppError } from "../../src/errors.ts";
import { createMemoryRateLimiter } from "../../src/limits/memory.ts";
import { createProviderGate, openProviderGate } from "../../src/limits/provider-gate.ts";
import type { SecurityEvent } from "../../src/security/security-log.ts";
import { describeFailure } from "../../src/work/run-task.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

describe("the provider call gate", () => {
  test("without a cap every call goes at once", async () => {
    const clock = new FakeClock();
    expect(createProviderGate(undefined, clock, { record() {} })).toBe(openProviderGate);
    await openProviderGate();
  });

  test("a call that waits past the model client's own timeout fails as rate_limited, named through the client's wrapping", async () => {
    const clock = new FakeClock();
    const events: SecurityEvent[] = [];
    const gate = createProviderGate(createMemoryRateLimiter({ id: "llm_requests_per_minute", limit: 1, windowMs: 60_000 }, clock), clock, {
      record: (event) => void events.push(event),
    });
    await gate();
    const timeout = new AbortController();
    const waiting = gate(timeout.signal).catch((error: unknown) => error);
    await clock.advance(30_000);
    timeout.abort(new DOMException("timed out", "TimeoutError"));
    const error = await waiting;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "rate_limited", retryAfterMs: 60_000 });
    // What the OpenAI client throws: its own error with ours as the cause.
    const wrapped = Object.assign(new Error("Request timed out."), { cause: error });
    expect(describeFailure(wrapped)).toMatchObject({ code: "rate_limited", retryable: true });
    expect(events).toEqual([{ kind: "rate_limit.hit", ruleId: "llm_requests_per_minute" }]);
  });
});
