import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJwt, SignJWT } from "jose";
import { CloseCode } from "../../src/protocol/index.ts";
import { startTestAgentd, TEST_SECRET, type TestAgentd } from "../helpers/agentd.ts";
import { openSocket } from "../helpers/ws.ts";

let agentd: TestAgentd;
let token: string;
let conversationId: string;
let claims: { sub: string; sid: string };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token like ours, with some claims changed. */
async function forge(changes: { secret?: string; iss?: string; aud?: string; exp?: number; iat?: number; sub?: string }) {
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(changes.sub ?? claims.sub)
    .setJti(crypto.randomUUID())
    .setIssuer(changes.iss ?? "agentd")
    .setAudience(changes.aud ?? "agentd")
    .setIssuedAt(changes.iat ?? nowSeconds())
    .setExpirationTime(changes.exp ?? nowSeconds() + 600)
    .sign(new TextEncoder().encode(changes.secret ?? TEST_SECRET));
}

async function closeCodeFor(url: string, headers?: Record<string, string>) {
  const socket = openSocket(url, headers);
  return (await socket.closed).code;
}

beforeAll(async () => {
  agentd = await startTestAgentd();
  await agentd.addUser("owner");
  await agentd.addUser("intruder");
  ({ token } = await agentd.login("owner"));
  claims = decodeJwt(token) as typeof claims;
  conversationId = await agentd.createConversation(token);
});
afterAll(() => agentd.close());

describe("WebSocket authentication: close 4001", () => {
  test("a forged token that only differs in its secret is refused, while the real one opens", async () => {
    const good = await forge({});
    const socket = openSocket(agentd.wsUrl(conversationId), { authorization: `Bearer ${good}` });
    expect((await socket.next("session.ready")).userId).toBe(claims.sub);
    socket.close();
    expect(await closeCodeFor(agentd.wsUrl(conversationId), { authorization: `Bearer ${await forge({ secret: "x".repeat(40) })}` })).toBe(4001);
  });

  test("no token", async () => {
    expect(await closeCodeFor(agentd.wsUrl(conversationId))).toBe(CloseCode.unauthenticated);
  });

  test("alg: none", async () => {
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...decodeJwt(token) })}.`;
    expect(await closeCodeFor(agentd.wsUrl(conversationId, `token=${unsigned}`))).toBe(4001);
  });

  test("an RS256 token when no external issuer is configured (no algorithm confusion)", async () => {
    const header = b64({ alg: "RS256", typ: "JWT" });
    const fake = `${header}.${b64(decodeJwt(token))}.${Buffer.from("sig").toString("base64url")}`;
    expect(await closeCodeFor(agentd.wsUrl(conversationId, `token=${fake}`))).toBe(4001);
  });

  test("expired", async () => {
    const expired = await forge({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 });
    expect(await closeCodeFor(agentd.wsUrl(conversationId, `token=${expired}`))).toBe(4001);
  });

  test("wrong audience or issuer", async () => {
    expect(await closeCodeFor(agentd.wsUrl(conversationId, `token=${await forge({ aud: "someone-else" })}`))).toBe(4001);
    expect(await closeCodeFor(agentd.wsUrl(conversationId, `token=${await forge({ iss: "evil" })}`))).toBe(4001);
  });

  test("a disabled user, whose token was valid a moment before", async () => {
    const id = await agentd.addUser("soon-disabled");
    const login = await agentd.login("soon-disabled");
    const conversation = await agentd.createConversation(login.token);
    (await agentd.connect(conversation, login.token)).close();
    await agentd.server.store.users.setActive(id, false);
    expect(await closeCodeFor(agentd.wsUrl(conversation, `token=${login.token}`))).toBe(4001);
  });

  test("a token whose login was ended by logout", async () => {
    await agentd.addUser("leaver");
    const login = await agentd.login("leaver");
    const conversation = await agentd.createConversation(login.token);
    expect((await agentd.api("/api/auth/logout", { method: "POST", token: login.token })).status).toBe(204);
    expect(await closeCodeFor(agentd.wsUrl(conversation, `token=${login.token}`))).toBe(4001);
  });

  test("the cookie set at login authenticates the socket", async () => {
    const { cookies } = await agentd.login("owner");
    const cookie = cookies.map((c) => c.split(";")[0]).join("; ");
    const socket = openSocket(agentd.wsUrl(conversationId), { cookie });
    expect((await socket.next("session.ready")).conversationId).toBe(conversationId);
    socket.close();
  });
});

describe("WebSocket authorization: close 4004", () => {
  test("another user's conversation and a missing one get the same code", async () => {
    const { token: intruder } = await agentd.login("intruder");
    expect(await closeCodeFor(agentd.wsUrl(conversationId, `token=${intruder}`))).toBe(CloseCode.notFound);
    expect(await closeCodeFor(agentd.wsUrl(crypto.randomUUID(), `token=${intruder}`))).toBe(CloseCode.notFound);
  });
});
