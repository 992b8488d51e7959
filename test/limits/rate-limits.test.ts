import { describe, expect, test } from "bun:test";
import { ConfigSchema } from "../../src/config/schema.ts";
import { AppError } from "../../src/errors.ts";
import { createMemoryRateLimiter } from "../../src/limits/memory.ts";
import { RateLimits } from "../../src/limits/rate-limits.ts";
import type { SecurityEvent } from "../../src/security/security-log.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

function rules(limits: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const events: SecurityEvent[] = [];
  const config = ConfigSchema.parse({ limits }).limits;
  const rateLimits = new RateLimits(config, (rule) => createMemoryRateLimiter(rule, clock), { record: (e) => void events.push(e) }, clock);
  return { clock, events, rateLimits };
}

describe("RateLimits", () => {
  test("limits.projects_per_hour: the 11th project in an hour is refused with the time left", async () => {
    const { clock, events, rateLimits } = rules();
    for (let i = 0; i < 10; i++) expect((await rateLimits.project("u"))!.remaining).toBe(9 - i);
    await clock.advance(20 * 60_000);
    const refused = await rateLimits.project("u").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "rate_limited", retryAfterMs: 40 * 60_000 });
    expect((refused as Error).message).toBe("You have started too many projects this hour. Try again in 40 minutes.");
    expect(events).toEqual([{ kind: "rate_limit.hit", ruleId: "projects_per_hour", userId: "u" }]);
    expect(await rateLimits.project("someone-else")).toMatchObject({ allowed: true });
  });

  test("a rule set to 0 is off: it counts nothing and never refuses", async () => {
    const { rateLimits } = rules({ messages_per_hour: 0, projects_per_hour: 0, anonymous_per_hour: 0, login_failures: 0, connects_per_ip_per_minute: 0 });
    for (let i = 0; i < 100; i++) {
      expect(await rateLimits.message("u")).toBeNull();
      expect(await rateLimits.project("u")).toBeNull();
      expect(await rateLimits.anonymousFailure("ip")).toBeNull();
      expect(await rateLimits.connectAttempt("ip")).toBeNull();
      expect(await rateLimits.loginFailed("ip", "u")).toBeNull();
    }
    expect(await rateLimits.messageBudget("u")).toBeNull();
    expect(await rateLimits.beforeLogin("ip", "u")).toBeNull();
    expect(await rateLimits.loginDelayMs("u")).toBe(0);
    expect(rateLimits.llm).toBeUndefined();
  });

  test("the per-username login delay doubles with each failure past the limit, up to 30 s, and usernames are case-blind", async () => {
    const { rateLimits } = rules({ login_failures: 2 });
    const delays = [];
    for (let i = 0; i < 9; i++) {
      await rateLimits.loginFailed(`10.0.0.${i}`, i % 2 ? "Erin" : "erin");
      delays.push(await rateLimits.loginDelayMs("ERIN"));
    }
    expect(delays).toEqual([0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });
});
