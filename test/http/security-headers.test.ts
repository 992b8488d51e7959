import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

let agentd: TestAgentd;
beforeAll(async () => void (agentd = await startTestAgentd({ workers: { threads: 0 }, server: { trusted_proxies: ["127.0.0.1"] } })));
afterAll(() => agentd.close());

function expectHardened(response: Response) {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
}

describe("HTTP security headers", () => {
  test("the UI page and every file it loads carry them; the page's script and CSS are files, not inline", async () => {
    const page = await fetch(`${agentd.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expectHardened(page);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    // The bundle links its files relative to the page ("./chunk-….js"); the page is served at "/".
    const assets = [...html.matchAll(/(?:src|href)="(\.?\/[^"]+)"/g)].map((match) => new URL(match[1]!, `${agentd.url}/`).pathname);
    expect(assets.some((path) => path.endsWith(".js"))).toBe(true);
    for (const path of assets) {
      const asset = await fetch(`${agentd.url}${path}`);
      expect(asset.status).toBe(200);
      expectHardened(asset);
      expect(asset.headers.get("cache-control")).toContain("immutable");
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    const head = await fetch(`${agentd.url}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  test("API answers, errors and unknown paths carry them too", async () => {
    for (const [path, status] of [["/api/info", 200], ["/api/conversations", 401], ["/no-such-file.js", 404], ["/healthz", 200]] as const) {
      const response = await fetch(`${agentd.url}${path}`);
      expect(response.status).toBe(status);
      expectHardened(response);
    }
    expect((await fetch(`${agentd.url}/`, { method: "POST" })).status).toBe(404);
  });

  test("Strict-Transport-Security only when the request came over TLS (per a trusted proxy)", async () => {
    expect((await fetch(`${agentd.url}/`)).headers.get("strict-transport-security")).toBeNull();
    const overTls = await fetch(`${agentd.url}/api/info`, { headers: { "x-forwarded-proto": "https" } });
    expect(overTls.headers.get("strict-transport-security")).toContain("max-age=");
  });
});

describe("Strict-Transport-Security from an untrusted peer", () => {
  test("X-Forwarded-Proto from a peer that is not a trusted proxy does not turn it on", async () => {
    const plain = await startTestAgentd({ workers: { threads: 0 } });
    try {
      const response = await fetch(`${plain.url}/api/info`, { headers: { "x-forwarded-proto": "https" } });
      expect(response.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
