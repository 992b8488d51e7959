import { describe, expect, test } from "bun:test";
import { Api, type FetchLike, type LockLike } from "../../ui/src/api.ts";
import { createTokenRefresh, REFRESH_RETRY_MS, refreshDelay } from "../../ui/src/models/token-refresh.ts";
import { FakeTimers } from "./fakes.ts";

const HOUR = 3_600_000;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** An Api whose refresh answers are scripted (true: a new token living `ttl` from the fake now). */
function harness(answers: boolean[], ttl = HOUR) {
  const timers = new FakeTimers();
  const tokens: string[] = [];
  let refreshes = 0;
  const fetchImpl: FetchLike = async () => {
    const ok = answers[refreshes++] ?? true;
    return ok
      ? json({ token: `token-${refreshes}`, expiresAt: new Date(timers.now + ttl).toISOString() })
      : json({ error: { code: "internal", message: "down" } }, 500);
  };
  const api = new Api(fetchImpl);
  const refresh = createTokenRefresh({ api, timers, now: () => timers.now });
  api.onToken = (token, expiresAt) => {
    tokens.push(token);
    refresh.tokenChanged(expiresAt);
  };
  return { api, timers, refresh, tokens, refreshes: () => refreshes };
}

describe("renewing the access token before it expires", () => {
  test("a 1 h token is renewed after 55 min, a 2 min one after 1.5 min, never with a negative or huge delay", () => {
    expect(refreshDelay(HOUR)).toBe(55 * 60_000);
    expect(refreshDelay(120_000)).toBe(90_000);
    expect(refreshDelay(-5)).toBe(0);
    expect(refreshDelay(365 * 24 * HOUR)).toBe(2 ** 31 - 1);
  });

  test("after a login the token is renewed in time, again and again; each new token is reported", async () => {
    const { api, timers, refresh, tokens } = harness([]);
    await api.login({ username: "ada", password: "pw" });
    expect(api.expiresAt).toBe(new Date(HOUR).toISOString());
    refresh.start();
    timers.advance(55 * 60_000 - 1);
    await settle();
    expect(tokens).toEqual(["token-1"]);
    timers.advance(1);
    await settle();
    expect(tokens).toEqual(["token-1", "token-2"]);
    timers.advance(55 * 60_000);
    await settle();
    expect(tokens).toEqual(["token-1", "token-2", "token-3"]);
    refresh.stop();
    timers.advance(10 * HOUR);
    await settle();
    expect(tokens).toHaveLength(3);
    expect(timers.pending()).toBe(0);
  });

  test("a page loaded with a cookie does not know the expiry: it renews at once", async () => {
    const { refresh, tokens, refreshes } = harness([]);
    refresh.start();
    await settle();
    expect(refreshes()).toBe(1);
    expect(tokens).toEqual(["token-1"]);
  });

  test("a failed renewal is tried again every 30 s while the token lives, then left to the socket's 4001", async () => {
    const { api, timers, refresh, refreshes } = harness([true, false, false, false], 300_000);
    await api.login({ username: "ada", password: "pw" }); // answer 1: lives 5 min
    refresh.start();
    timers.advance(225_000); // 3/4 of 5 min
    await settle();
    expect(refreshes()).toBe(2);
    for (const expected of [3, 4]) {
      timers.advance(REFRESH_RETRY_MS);
      await settle();
      expect(refreshes()).toBe(expected);
    }
    // 15 s left: another try would land after the expiry, so none is planned.
    expect(timers.pending()).toBe(0);
  });

  test("tabs take turns: a refresh runs inside the lock", async () => {
    const held: string[] = [];
    const lock: LockLike = async (name, task) => {
      held.push(name);
      return task();
    };
    const api = new Api(async () => json({ token: "t", expiresAt: "2030-01-01T00:00:00Z" }), lock);
    expect(await api.refresh()).toBe(true);
    expect(held).toEqual(["agentd-auth-refresh"]);
    expect(api.expiresAt).toBe("2030-01-01T00:00:00Z");
    await api.logout().catch(() => undefined);
    expect(api.expiresAt).toBeNull();
  });
});
