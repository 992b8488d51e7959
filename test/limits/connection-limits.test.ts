import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CloseCode } from "../../src/protocol/index.ts";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { openSocket } from "../helpers/ws.ts";

/** Opens a socket and says how it ended up: "ready" or its close code and reason. */
async function outcome(url: string, headers?: Record<string, string>) {
  const socket = openSocket(url, headers);
  const result = await Promise.race([socket.next("session.ready").then(() => "ready" as const), socket.closed]);
  return { socket, result };
}

describe("limits.sockets_per_user (5), policy replace", () => {
  let agentd: TestAgentd;
  beforeAll(async () => void (agentd = await startTestAgentd({ workers: { threads: 0 } })));
  afterAll(() => agentd.close());

  test("the 6th socket replaces the 1st, which is closed with 4009", async () => {
    await agentd.addUser("tabs");
    const { token } = await agentd.login("tabs");
    const id = await agentd.createConversation(token);
    const sockets = [];
    for (let i = 0; i < 5; i++) sockets.push(await agentd.connect(id, token));
    const sixth = await agentd.connect(id, token);
    expect(await sockets[0]!.closed).toEqual({ code: CloseCode.replaced, reason: "opened elsewhere" });
    // The others and the new one still serve.
    sixth.send({ type: "ping" });
    await sixth.next("pong");
    sockets[1]!.send({ type: "ping" });
    await sockets[1]!.next("pong");
    const replaced = agentd.securityEvents().filter((event) => event.kind === "connection.replaced");
    expect(replaced).toHaveLength(1);
    for (const socket of [...sockets, sixth]) socket.close();
  });
});

describe("limits.sockets_per_user_policy: refuse; sockets_per_ip; connects_per_ip_per_minute", () => {
  let agentd: TestAgentd;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock();
    agentd = await startTestAgentd(
      { workers: { threads: 0 }, limits: { sockets_per_user: 2, sockets_per_user_policy: "refuse", sockets_per_ip: 3, connects_per_ip_per_minute: 8 } },
      { clock },
    );
  });
  afterAll(() => agentd.close());

  test("one socket too many is refused with 4008 under refuse; the IP cap and the attempt rate close with 4008 and a reason", async () => {
    await agentd.addUser("u1");
    await agentd.addUser("u2");
    const one = await agentd.login("u1");
    const two = await agentd.login("u2");
    const id1 = await agentd.createConversation(one.token);
    const id2 = await agentd.createConversation(two.token);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    const a = await agentd.connect(id1, one.token);
    const b = await agentd.connect(id1, one.token);
    const refused = await outcome(agentd.wsUrl(id1), bearer(one.token)); // attempt 3
    expect(refused.result).toEqual({ code: CloseCode.policy, reason: "too many open connections (at most 2)" });
    a.send({ type: "ping" });
    await a.next("pong");

    const c = await agentd.connect(id2, two.token); // 3 sockets from 127.0.0.1 now
    const ipFull = await outcome(agentd.wsUrl(id2), bearer(two.token)); // attempt 5
    expect(ipFull.result).toEqual({ code: CloseCode.policy, reason: "too many connections from your address" });

    b.close();
    await b.closed;
    const d = await agentd.connect(id2, two.token); // attempt 6: a slot is free again
    d.close();
    await d.closed;
    await agentd.connect(id2, two.token).then((s) => s.close()); // attempt 7
    await agentd.connect(id2, two.token).then((s) => s.close()); // attempt 8
    const tooFast = await outcome(agentd.wsUrl(id2), bearer(two.token)); // attempt 9
    expect(tooFast.result).toMatchObject({ code: CloseCode.policy, reason: expect.stringContaining("too many connection attempts") });

    await clock.advance(60_000);
    const again = await agentd.connect(id2, two.token);
    const rules = agentd.securityEvents().filter((event) => event.kind === "connection.refused").map((event) => event.ruleId);
    expect(rules).toEqual(["sockets_per_user", "sockets_per_ip", "connects_per_ip_per_minute"]);
    for (const socket of [a, c, again]) socket.close();
  });
});

describe("limits.anonymous_per_hour", () => {
  let agentd: TestAgentd;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock();
    agentd = await startTestAgentd({ workers: { threads: 0 }, limits: { anonymous_per_hour: 3 } }, { clock });
  });
  afterAll(() => agentd.close());

  test("unauthenticated API requests and failed socket authentications share a budget per IP; past it 429 and 4008", async () => {
    await agentd.addUser("member");
    const { token } = await agentd.login("member");
    const id = await agentd.createConversation(token);
    // Never counted: the page, health, public info.
    for (const path of ["/", "/healthz", "/api/info", "/", "/healthz", "/api/info"]) expect((await agentd.api(path)).status).toBe(200);

    const first = await agentd.api("/api/conversations");
    expect(first.status).toBe(401);
    expect(first.headers.get("ratelimit-remaining")).toBe("2");
    expect((await outcome(agentd.wsUrl(id), { authorization: "Bearer not-a-token" })).result).toMatchObject({ code: CloseCode.unauthenticated });
    expect((await agentd.api("/api/me")).status).toBe(401);

    const limited = await agentd.api("/api/conversations");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3600");
    expect((await outcome(agentd.wsUrl(id), { authorization: "Bearer not-a-token" })).result).toMatchObject({ code: CloseCode.policy });
    // A signed-in user behind the same address is not affected.
    expect((await agentd.api("/api/conversations", { token })).status).toBe(200);
    expect((await outcome(agentd.wsUrl(id), { authorization: `Bearer ${token}` })).result).toBe("ready");

    await clock.advance(3_600_000);
    expect((await agentd.api("/api/conversations")).status).toBe(401);
  });
});

describe("Origin check on the WebSocket upgrade", () => {
  let agentd: TestAgentd;
  beforeAll(async () => void (agentd = await startTestAgentd({ workers: { threads: 0 }, server: { allowed_origins: [] } })));
  afterAll(() => agentd.close());

  const upgrade = (url: string, origin: string, host?: string) =>
    fetch(url.replace("ws", "http"), {
      headers: {
        upgrade: "websocket",
        connection: "Upgrade",
        "sec-websocket-key": Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64"),
        "sec-websocket-version": "13",
        origin,
        ...(host ? { host } : {}),
      },
    });

  test("a page of another site gets HTTP 403; the server's own pages get a socket", async () => {
    await agentd.addUser("o");
    const { token } = await agentd.login("o");
    const id = await agentd.createConversation(token);
    const evil = await upgrade(agentd.wsUrl(id, `token=${token}`), "https://evil.example");
    expect(evil.status).toBe(403);
    expect(agentd.securityEvents().some((event) => event.kind === "connection.refused" && event.ruleId === "allowed_origins")).toBe(true);
    const own = new URL(agentd.url).host;
    expect((await outcome(agentd.wsUrl(id), { authorization: `Bearer ${token}`, origin: `http://${own}` })).result).toBe("ready");
    expect((await upgrade(agentd.wsUrl(id, `token=${token}`), "null")).status).toBe(403);
  });

  test("server.allowed_origins lists the origins that may connect", async () => {
    const other = await startTestAgentd({ workers: { threads: 0 }, server: { allowed_origins: ["https://chat.example.com"] } });
    try {
      await other.addUser("p");
      const { token } = await other.login("p");
      const id = await other.createConversation(token);
      expect((await outcome(other.wsUrl(id), { authorization: `Bearer ${token}`, origin: "https://chat.example.com" })).result).toBe("ready");
      expect((await upgrade(other.wsUrl(id, `token=${token}`), `http://${new URL(other.url).host}`)).status).toBe(403);
    } finally {
      await other.close();
    }
  });
});
