import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../src/app/server.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import { silentLogger } from "../../src/log.ts";
import { PASSWORD, startTestAgentd, TEST_SECRET, type TestAgentd } from "../helpers/agentd.ts";

let dir: string;
let certPath: string;
let keyPath: string;
let ca: string;

/** A self-signed certificate for 127.0.0.1 and localhost, made for this run. */
function makeCertificate(): void {
  dir = mkdtempSync(join(tmpdir(), "agentd-tls-"));
  certPath = join(dir, "cert.pem");
  keyPath = join(dir, "key.pem");
  const openssl = Bun.spawnSync(
    ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", keyPath, "-out", certPath],
    { stderr: "pipe" },
  );
  if (openssl.exitCode !== 0) throw new Error(`openssl failed: ${openssl.stderr.toString()}`);
  ca = readFileSync(certPath, "utf8");
}

describe("TLS without a proxy (server.tls)", () => {
  let agentd: TestAgentd;
  beforeAll(async () => {
    makeCertificate();
    agentd = await startTestAgentd({ server: { tls: { cert: certPath, key: keyPath } }, workers: { threads: 0 } });
    await agentd.addUser("tess");
  });
  afterAll(async () => {
    await agentd.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const secureFetch = (path: string, init: RequestInit = {}) => fetch(`${agentd.url}${path}`, { ...init, tls: { ca } } as RequestInit);

  test("serves https with the configured certificate, and sends HSTS", async () => {
    expect(agentd.url).toStartWith("https://127.0.0.1:");
    const response = await secureFetch("/healthz");
    expect(response.status).toBe(200);
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000");
  });

  test("login cookies are Secure (secure_cookies: auto sees the https request)", async () => {
    const response = await secureFetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "tess", password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    for (const cookie of cookies) expect(cookie).toContain("Secure");
  });

  test("chat works over wss://", async () => {
    const login = await secureFetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "tess", password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await secureFetch("/api/conversations", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" });
    const { id } = (await created.json()) as { id: string };
    expect(agentd.wsUrl(id)).toStartWith("wss://");
    const ws = new WebSocket(agentd.wsUrl(id), { headers: { authorization: `Bearer ${token}` }, tls: { ca } } as unknown as string[]);
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      ws.onmessage = (event) => resolve(JSON.parse(String(event.data)));
      ws.onclose = (event) => reject(new Error(`closed ${event.code}`));
    });
    expect(first.type).toBe("session.ready");
    ws.close();
  });

  test("plain http to the TLS port gets no answer (no silent downgrade)", async () => {
    const plain = agentd.url.replace("https://", "http://");
    const outcome = await fetch(`${plain}/healthz`).then((response) => response.status, () => "refused");
    expect(outcome === "refused" || outcome === 400).toBe(true);
  });
});

describe("server.tls config errors", () => {
  test("cert without key is a config error naming both keys", () => {
    const result = ConfigSchema.safeParse({ server: { tls: { cert: "/x.pem" } } });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("server.tls.key");
  });

  test("an unreadable or non-PEM file stops the start with a message naming the key", async () => {
    const base = mkdtempSync(join(tmpdir(), "agentd-tls-bad-"));
    const notPem = join(base, "cert.pem");
    writeFileSync(notPem, "hello");
    const config = (cert: string, key: string) =>
      ConfigSchema.parse({ data_dir: base, server: { host: "127.0.0.1", port: 0, tls: { cert, key } }, auth: { jwt_secret: TEST_SECRET } });
    await expect(startServer(config(join(base, "missing.pem"), notPem), { logger: silentLogger })).rejects.toThrow(/server\.tls\.cert: cannot read .*ENOENT/);
    await expect(startServer(config(notPem, notPem), { logger: silentLogger })).rejects.toThrow("server.tls.cert: " + notPem + " is not a PEM certificate");
    rmSync(base, { recursive: true, force: true });
  });
});
