import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

let agentd: TestAgentd;

beforeAll(async () => {
  agentd = await startTestAgentd();
  await agentd.addUser("bob");
});
afterAll(() => agentd.close());

const cookieHeader = (setCookies: string[]) => setCookies.map((c) => c.split(";")[0]).join("; ");
const refreshCookie = (setCookies: string[]) => setCookies.find((c) => c.startsWith("agentd_refresh="))!;

async function refresh(cookie: string) {
  return fetch(`${agentd.url}/api/auth/refresh`, { method: "POST", headers: { cookie } });
}

describe("login", () => {
  test("returns a token and sets HttpOnly SameSite=Strict cookies", async () => {
    const response = await agentd.api("/api/auth/login", { method: "POST", body: JSON.stringify({ username: "bob", password: "correct horse battery staple" }) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; expiresAt: string };
    expect(body.token.split(".")).toHaveLength(3);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    const cookies = response.headers.getSetCookie();
    const access = cookies.find((c) => c.startsWith("agentd_token="))!;
    expect(access).toContain("HttpOnly");
    expect(access).toContain("SameSite=Strict");
    expect(refreshCookie(cookies)).toContain("Path=/api/auth");
  });

  test("a wrong password and an unknown user get the same 401", async () => {
    for (const body of [{ username: "bob", password: "nope" }, { username: "nobody", password: "nope" }]) {
      const response = await agentd.api("/api/auth/login", { method: "POST", body: JSON.stringify(body) });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "The username or password is wrong." } });
    }
  });

  test("a malformed body is a 400 naming the field", async () => {
    const response = await agentd.api("/api/auth/login", { method: "POST", body: JSON.stringify({ username: "bob" }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain("password");
  });
});

describe("refresh", () => {
  test("issues a new access token and rotates the refresh cookie", async () => {
    const { token, cookies } = await agentd.login("bob");
    const response = await refresh(cookieHeader(cookies));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string };
    expect(body.token).not.toBe(token);
    expect((await agentd.api("/api/me", { token: body.token })).status).toBe(200);
    expect(refreshCookie(response.headers.getSetCookie())).not.toBe(refreshCookie(cookies));
  });

  test("a refresh cookie already used is refused, and its reuse ends the whole login", async () => {
    const { cookies } = await agentd.login("bob");
    const rotated = await refresh(cookieHeader(cookies));
    const next = rotated.headers.getSetCookie();
    const newToken = ((await rotated.json()) as { token: string }).token;
    expect((await refresh(cookieHeader(cookies))).status).toBe(401);
    // The stolen-token replay revoked the family: the newer cookie and token are dead too.
    expect((await refresh(cookieHeader(next))).status).toBe(401);
    expect((await agentd.api("/api/me", { token: newToken })).status).toBe(401);
  });

  test("after logout the refresh cookie is refused", async () => {
    const { token, cookies } = await agentd.login("bob");
    const logout = await fetch(`${agentd.url}/api/auth/logout`, { method: "POST", headers: { cookie: cookieHeader(cookies) } });
    expect(logout.status).toBe(204);
    expect((await refresh(cookieHeader(cookies))).status).toBe(401);
    expect((await agentd.api("/api/me", { token })).status).toBe(401);
  });

  test("without a refresh cookie: 401", async () => {
    expect((await refresh("")).status).toBe(401);
  });
});

describe("me", () => {
  test("needs a token; answers with the user", async () => {
    expect((await agentd.api("/api/me")).status).toBe(401);
    const { token } = await agentd.login("bob");
    expect(await (await agentd.api("/api/me", { token })).json()).toMatchObject({ username: "bob", role: "user" });
  });
});
