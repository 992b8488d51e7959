import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PASSWORD, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

const MINUTE = 60_000;

function attempt(agentd: TestAgentd, username: string, password: string, forwardedFor?: string) {
  return fetch(`${agentd.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
    body: JSON.stringify({ username, password }),
  });
}

describe("limits.login_failures behind a trusted proxy", () => {
  let agentd: TestAgentd;
  let clock: FakeClock;

  beforeAll(async () => {
    clock = new FakeClock();
    agentd = await startTestAgentd({ workers: { threads: 0 }, server: { trusted_proxies: ["127.0.0.1/32"] } }, { clock });
    await agentd.addUser("alice");
  });
  afterAll(() => agentd.close());

  test("the 6th failed login from one IP gets 429, while the same user still logs in from another IP; the window resets", async () => {
    const attacker = "198.51.100.1";
    for (let i = 1; i <= 5; i++) {
      const response = await attempt(agentd, "alice", "wrong", attacker);
      expect(response.status).toBe(401);
      expect(response.headers.get("ratelimit-limit")).toBe("5");
      expect(response.headers.get("ratelimit-remaining")).toBe(String(5 - i));
      expect(response.headers.get("ratelimit-reset")).toBe("900");
    }
    await clock.advance(5 * MINUTE);
    // Refused before the password is looked at: even the right one.
    const refused = await attempt(agentd, "alice", PASSWORD, attacker);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("600");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");

    const elsewhere = await attempt(agentd, "alice", PASSWORD, "203.0.113.50");
    expect(elsewhere.status).toBe(200);

    await clock.advance(10 * MINUTE - 1);
    expect((await attempt(agentd, "alice", PASSWORD, attacker)).status).toBe(429);
    await clock.advance(1);
    expect((await attempt(agentd, "alice", PASSWORD, attacker)).status).toBe(200);

    const kinds = agentd.securityEvents().map((event) => `${event.kind}:${event.ruleId ?? ""}:${event.ip}`);
    expect(kinds.filter((k) => k === `auth.failure::${attacker}`)).toHaveLength(5);
    expect(kinds).toContain(`rate_limit.hit:login_failures:${attacker}`);
    expect(JSON.stringify(agentd.securityEvents())).not.toContain("wrong\"");
  });

});

describe("limits.login_failures: 1, behind a trusted proxy", () => {
  let agentd: TestAgentd;
  let clock: FakeClock;

  beforeAll(async () => {
    clock = new FakeClock();
    agentd = await startTestAgentd({ workers: { threads: 0 }, server: { trusted_proxies: ["127.0.0.1"] }, limits: { login_failures: 1 } }, { clock });
    await agentd.addUser("carol");
  });
  afterAll(() => agentd.close());

  test("failures for one username from many IPs only slow its logins down (never lock it out)", async () => {
    for (let i = 1; i <= 2; i++) expect((await attempt(agentd, "carol", "wrong", `198.51.100.${100 + i}`)).status).toBe(401);
    // 2 failures: one over the limit, so the next attempt waits 1 s (on the server's clock).
    const timers = clock.pending;
    let settled = false;
    const login = attempt(agentd, "carol", PASSWORD, "203.0.113.77").then((response) => ((settled = true), response));
    while (clock.pending === timers) await Bun.sleep(1);
    await clock.advance(999);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect((await login).status).toBe(200);
    expect(agentd.securityEvents().some((event) => event.kind === "login.delayed" && event.count === 1000)).toBe(true);
  });

  test("two clients with different X-Forwarded-For are limited separately", async () => {
    await attempt(agentd, "nobody", "wrong", "192.0.2.10");
    expect((await attempt(agentd, "nobody", "wrong", "192.0.2.10")).status).toBe(429);
    expect((await attempt(agentd, "nobody2", "wrong", "192.0.2.11")).status).toBe(401);
    // A client cannot pick a fresh address by prepending to the header: the proxy's hop is what counts.
    expect((await attempt(agentd, "nobody", "wrong", "192.0.2.99, 192.0.2.10")).status).toBe(429);
  });
});

describe("without trusted proxies", () => {
  let agentd: TestAgentd;
  beforeAll(async () => {
    agentd = await startTestAgentd({ workers: { threads: 0 }, limits: { login_failures: 1 } }, { clock: new FakeClock() });
    await agentd.addUser("dave");
  });
  afterAll(() => agentd.close());

  test("X-Forwarded-For from an untrusted peer is ignored: it cannot dodge the limit", async () => {
    expect((await attempt(agentd, "dave", "wrong", "10.9.9.1")).status).toBe(401);
    expect((await attempt(agentd, "dave", PASSWORD, "10.9.9.200")).status).toBe(429);
  });
});
