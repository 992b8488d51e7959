import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { openSocket } from "../helpers/ws.ts";

// Tokens from an outside identity provider: accepted only with the configured asymmetric
// algorithms and key, never checked against the HS secret (and vice versa).

let rsa: { publicKey: CryptoKey; privateKey: CryptoKey };
let ec: { publicKey: CryptoKey; privateKey: CryptoKey };
let jwks: ReturnType<typeof Bun.serve>;
let pem: TestAgentd;
let viaJwks: TestAgentd;
let userId: string;

const external = (key: CryptoKey, alg: string, claims: { iss?: string; aud?: string; sub?: string } = {}) =>
  new SignJWT({})
    .setProtectedHeader({ alg, kid: "k1" })
    .setSubject(claims.sub ?? userId)
    .setIssuer(claims.iss ?? "https://idp.example")
    .setAudience(claims.aud ?? "agentd")
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(key);

async function closeCode(agentd: TestAgentd, conversationId: string, token: string) {
  const socket = openSocket(agentd.wsUrl(conversationId, `token=${token}`));
  const first = await Promise.race([socket.next("session.ready").then(() => "ready" as const), socket.closed.then((c) => c.code)]);
  socket.close();
  return first;
}

beforeAll(async () => {
  rsa = await generateKeyPair("RS256");
  ec = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(ec.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  jwks = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => Response.json({ keys: [jwk] }) });
  pem = await startTestAgentd({ auth: { external: { public_key: await exportSPKI(rsa.publicKey), algorithms: ["RS256"], issuer: "https://idp.example" } } });
  viaJwks = await startTestAgentd(
    { auth: { external: { jwks_url: `http://127.0.0.1:${jwks.port}/jwks.json`, algorithms: ["ES256"], issuer: "https://idp.example" } } },
  );
});
afterAll(async () => {
  await Promise.all([pem.close(), viaJwks.close()]);
  jwks.stop(true);
});

describe("external issuer with a PEM public key (RS256)", () => {
  test("a token it signed opens a socket as the named user; wrong issuer, key or algorithm is 4001", async () => {
    userId = await pem.addUser("sso-user");
    const conversation = await pem.createConversation((await pem.login("sso-user")).token);
    expect(await closeCode(pem, conversation, await external(rsa.privateKey, "RS256"))).toBe("ready");
    expect(await closeCode(pem, conversation, await external(rsa.privateKey, "RS256", { iss: "https://evil.example" }))).toBe(4001);
    const other = await generateKeyPair("RS256");
    expect(await closeCode(pem, conversation, await external(other.privateKey, "RS256"))).toBe(4001);
    // An ES256 token is refused: only RS256 is configured.
    expect(await closeCode(pem, conversation, await external(ec.privateKey, "ES256"))).toBe(4001);
  });

  test("an HS256 token signed with the public key as secret (algorithm confusion) is refused", async () => {
    const publicPem = await exportSPKI(rsa.publicKey);
    const conversation = await pem.createConversation((await pem.login("sso-user")).token);
    const confused = await new SignJWT({ sid: "x" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setJti("j")
      .setIssuer("agentd")
      .setAudience("agentd")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(publicPem));
    expect(await closeCode(pem, conversation, confused)).toBe(4001);
  });

  test("HTTP accepts it too, and a token naming no agentd user is 401", async () => {
    expect((await pem.api("/api/me", { token: await external(rsa.privateKey, "RS256") })).status).toBe(200);
    expect((await pem.api("/api/me", { token: await external(rsa.privateKey, "RS256", { sub: crypto.randomUUID() }) })).status).toBe(401);
  });
});

describe("external issuer with a JWKS URL (ES256)", () => {
  test("keys are fetched from the JWKS URL on loopback; a token it signed works", async () => {
    userId = await viaJwks.addUser("jwks-user");
    const conversation = await viaJwks.createConversation((await viaJwks.login("jwks-user")).token);
    expect(await closeCode(viaJwks, conversation, await external(ec.privateKey, "ES256"))).toBe("ready");
    expect(await closeCode(viaJwks, conversation, await external(rsa.privateKey, "RS256"))).toBe(4001);
  });
});
