import { describe, expect, test } from "bun:test";
import { Api, ApiError, type FetchLike } from "../../ui/src/api.ts";

/** A fetch that answers from a script and records each call as "METHOD path". */
function scriptedFetch(answer: (method: string, path: string, call: number) => Response) {
  const calls: string[] = [];
  const fetchImpl: FetchLike = async (input, init) => {
    calls.push(`${init.method} ${input}`);
    expect(init.credentials).toBe("same-origin");
    return answer(init.method ?? "GET", input, calls.length);
  };
  return { fetchImpl, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const unauthorized = () => json({ error: { code: "unauthorized", message: "Please log in." } }, 401);

describe("Api", () => {
  test("a 401 renews the session once and repeats the request", async () => {
    let renewed = false;
    const { fetchImpl, calls } = scriptedFetch((_method, path) => {
      if (path === "/api/auth/refresh") {
        renewed = true;
        return json({ token: "t", expiresAt: "x" });
      }
      return renewed ? json({ id: "u1", username: "ada", role: "user" }) : unauthorized();
    });
    const api = new Api(fetchImpl);
    expect(await api.me()).toEqual({ id: "u1", username: "ada", role: "user" });
    expect(calls).toEqual(["GET /api/me", "POST /api/auth/refresh", "GET /api/me"]);
  });

  test("concurrent 401s share one refresh; a refused refresh reports the session lost", async () => {
    const { fetchImpl, calls } = scriptedFetch(() => unauthorized());
    const api = new Api(fetchImpl);
    let lost = 0;
    api.onSessionLost = () => lost++;
    const results = await Promise.allSettled([api.listConversations(), api.getConversation("a b")]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(calls.filter((call) => call === "POST /api/auth/refresh")).toHaveLength(1);
    expect(calls).toContain("GET /api/conversations/a%20b");
    expect(lost).toBe(2);
  });

  test("login refusals are not retried and carry the server's code", async () => {
    const { fetchImpl, calls } = scriptedFetch(() => unauthorized());
    const error = await new Api(fetchImpl).login({ username: "ada", password: "nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).code).toBe("unauthorized");
    expect(calls).toEqual(["POST /api/auth/login"]);
  });

  test("a non-JSON error and a network failure become readable ApiErrors; 204 resolves", async () => {
    const proxyError = await new Api(async () => new Response("<html>Bad gateway</html>", { status: 502 }))
      .info()
      .catch((e: unknown) => e as ApiError);
    expect(proxyError).toMatchObject({ status: 502, code: "bad_response" });

    const offline = await new Api(async () => Promise.reject(new TypeError("Failed to fetch")))
      .info()
      .catch((e: unknown) => e as ApiError);
    expect(offline).toMatchObject({ status: 0, code: "network" });

    expect(await new Api(async () => new Response(null, { status: 204 })).deleteConversation("c1")).toBeUndefined();
  });
});

describe("Api: the access token a socket to another origin needs", () => {
  test("kept from login and refresh, forgotten on logout; every endpoint has its method and path", async () => {
    const { fetchImpl, calls } = scriptedFetch((method, path) => {
      if (path === "/api/auth/login") return json({ token: "from-login", expiresAt: "x" });
      if (path === "/api/auth/refresh") return json({ token: "from-refresh", expiresAt: "x" });
      if (method === "DELETE" || path === "/api/auth/logout") return new Response(null, { status: 204 });
      return json({});
    });
    const api = new Api(fetchImpl);
    expect(api.accessToken).toBeNull();
    await api.login({ username: "ada", password: "pw" });
    expect(api.accessToken).toBe("from-login");
    expect(await api.refresh()).toBe(true);
    expect(api.accessToken).toBe("from-refresh");
    await api.info();
    await api.listConversations();
    await api.listConversations("next page");
    await api.createConversation({ title: "t" });
    await api.renameConversation("c/1", "new");
    await api.deleteConversation("c/1");
    await api.logout();
    expect(api.accessToken).toBeNull();
    expect(calls).toEqual([
      "POST /api/auth/login",
      "POST /api/auth/refresh",
      "GET /api/info",
      "GET /api/conversations",
      "GET /api/conversations?cursor=next%20page",
      "POST /api/conversations",
      "PATCH /api/conversations/c%2F1",
      "DELETE /api/conversations/c%2F1",
      "POST /api/auth/logout",
    ]);
  });
});
