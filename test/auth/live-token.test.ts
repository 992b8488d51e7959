import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { join, resolve } from "node:path";
import { CloseCode } from "../../src/protocol/index.ts";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

const MINUTE = 60_000;
const ROOT = resolve(import.meta.dir, "../..");
let agentd: TestAgentd;
let clock: FakeClock;
let rsa: Awaited<ReturnType<typeof generateKeyPair>>;

beforeAll(async () => {
  clock = new FakeClock();
  rsa = await generateKeyPair("RS256");
  agentd = await startTestAgentd(
    {
      workers: { threads: 0 },
      auth: { token_ttl: "10m", external: { public_key: await exportSPKI(rsa.publicKey), algorithms: ["RS256"], issuer: "https://idp.example" } },
    },
    { clock },
  );
});
afterAll(() => agentd.close());

async function signedIn(username: string) {
  const userId = await agentd.addUser(username);
  const login = await agentd.login(username);
  const conversationId = await agentd.createConversation(login.token);
  const socket = await agentd.connect(conversationId, login.token);
  const cookie = login.cookies.map((c) => c.split(";")[0]).join("; ");
  return { userId, ...login, cookie, conversationId, socket };
}

async function stillServes(socket: Awaited<ReturnType<typeof agentd.connect>>) {
  socket.send({ type: "ping" });
  await socket.next("pong");
}

describe("an access token expiring on a live socket", () => {
  test("closes the socket with 4001 when it expires", async () => {
    const { socket } = await signedIn("expiring");
    await clock.advance(9 * MINUTE);
    await stillServes(socket);
    await clock.advance(1 * MINUTE);
    expect(await socket.closed).toEqual({ code: CloseCode.unauthenticated, reason: "token expired" });
    expect(agentd.securityEvents().some((event) => event.kind === "connection.expired" && event.reason === "token expired")).toBe(true);
  });

  test("auth.refresh with a newer token (from POST /api/auth/refresh) keeps it open until the new expiry", async () => {
    const { socket, cookie, token } = await signedIn("refresher");
    await clock.advance(8 * MINUTE);
    const refreshed = await agentd.api("/api/auth/refresh", { method: "POST", headers: { cookie } });
    expect(refreshed.status).toBe(200);
    const fresh = (await refreshed.json()) as { token: string; expiresAt: string };

    // Bad refreshes are refused and change nothing.
    socket.send({ type: "auth.refresh", token: "garbage" });
    expect(await socket.next("error")).toMatchObject({ code: "unauthorized" });
    const other = await agentd.addUser("someone-else").then(() => agentd.login("someone-else"));
    socket.send({ type: "auth.refresh", token: other.token });
    expect(await socket.next("error")).toMatchObject({ code: "unauthorized", message: "That token belongs to another user." });

    socket.send({ type: "auth.refresh", token: fresh.token });
    expect(await socket.next("auth.refreshed")).toEqual({ type: "auth.refreshed", expiresAt: fresh.expiresAt });
    // The old token is not newer than the one the socket has now.
    socket.send({ type: "auth.refresh", token });
    expect(await socket.next("error")).toMatchObject({ code: "unauthorized" });

    await clock.advance(5 * MINUTE); // past the first token's expiry
    await stillServes(socket);
    await clock.advance(Date.parse(fresh.expiresAt) - clock.now());
    expect((await socket.closed).code).toBe(CloseCode.unauthenticated);
  });
});

describe("revocation", () => {
  test("logout closes that login's open sockets with 4001 at once and its token stops working", async () => {
    const { socket, token, conversationId } = await signedIn("leaving");
    expect((await agentd.api("/api/auth/logout", { method: "POST", token })).status).toBe(204);
    expect(await socket.closed).toEqual({ code: CloseCode.unauthenticated, reason: "session ended" });
    expect((await agentd.api("/api/me", { token })).status).toBe(401);
    expect(agentd.securityEvents().some((event) => event.kind === "auth.revoked" && event.reason === "logout")).toBe(true);
    const again = await agentd.connect(conversationId, token).then(() => "ready", (error: Error) => error.message);
    expect(again).toContain("socket closed");
  });

  test("an external token presented at logout is denied (by jti) until it expires", async () => {
    const userId = await agentd.addUser("federated");
    const external = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256" })
      .setSubject(userId)
      .setJti(crypto.randomUUID())
      .setIssuer("https://idp.example")
      .setAudience("agentd")
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .setExpirationTime(Math.floor(clock.now() / 1000) + 600)
      .sign(rsa.privateKey);
    expect((await agentd.api("/api/me", { token: external })).status).toBe(200);
    const conversationId = await agentd.createConversation(external);
    const socket = await agentd.connect(conversationId, external);
    expect((await agentd.api("/api/auth/logout", { method: "POST", token: external })).status).toBe(204);
    expect(await socket.closed).toEqual({ code: CloseCode.unauthenticated, reason: "token revoked" });
    expect((await agentd.api("/api/me", { token: external })).status).toBe(401);
  });

  test("`agentd user disable` in another process closes the user's open sockets with 4001 at the next check", async () => {
    const { socket } = await signedIn("to-disable");
    const bystander = await signedIn("bystander");
    const cli = Bun.spawn(["bun", join(ROOT, "src/main.ts"), "user", "disable", "to-disable"], {
      cwd: agentd.dataDir,
      env: { ...process.env, AGENTD_DATA_DIR: agentd.dataDir },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await cli.exited).toBe(0);
    await stillServes(socket); // the server has not looked yet
    await clock.advance(5_000); // auth.revocation_check
    expect(await socket.closed).toEqual({ code: CloseCode.unauthenticated, reason: "account disabled" });
    await stillServes(bystander.socket);
    bystander.socket.close();
  });
});
