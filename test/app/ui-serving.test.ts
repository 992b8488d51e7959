import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { HTMLBundle } from "bun";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { loadUiFiles } from "../../src/app/ui-files.ts";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

let agentd: TestAgentd;

beforeAll(async () => {
  agentd = await startTestAgentd({ ui: { websocket_url: "wss://chat.example.com" } });
});
afterAll(() => agentd.close());

describe("the web UI as the server sends it", () => {
  test("the page, its script and its CSS: content types, caching, brotli, a strict CSP", async () => {
    const page = await fetch(`${agentd.url}/`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' wss://chat.example.com;");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1]!, `${agentd.url}/`).pathname);
    expect(assets.some((path) => path.endsWith(".js"))).toBe(true);
    expect(assets.some((path) => path.endsWith(".css"))).toBe(true);
    for (const path of assets) {
      const asset = await fetch(`${agentd.url}${path}`, { headers: { "accept-encoding": "br" }, decompress: false });
      expect(asset.status).toBe(200);
      expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const type = asset.headers.get("content-type")!;
      if (path.endsWith(".js")) {
        expect(type).toContain("javascript");
        expect(asset.headers.get("content-encoding")).toBe("br");
        const text = brotliDecompressSync(new Uint8Array(await asset.arrayBuffer())).toString();
        // The production build of Preact: no debug hooks, nothing but the bundle.
        expect(text).not.toContain("preact/debug");
      }
      if (path.endsWith(".css")) expect(type).toContain("text/css");
    }
    const head = await fetch(`${agentd.url}${assets[0]}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  test("/api/info tells the page where to open sockets; unknown paths are still 404 JSON", async () => {
    expect(await (await fetch(`${agentd.url}/api/info`)).json()).toMatchObject({ websocketUrl: "wss://chat.example.com" });
    const missing = await fetch(`${agentd.url}/nothing-here.js`);
    expect(missing.status).toBe(404);
  });
});

test("ui.enabled: false serves the API only", async () => {
  const headless = await startTestAgentd({ ui: { enabled: false } }, { model: agentd.model });
  try {
    expect((await fetch(`${headless.url}/`)).status).toBe(404);
    expect((await fetch(`${headless.url}/healthz`)).status).toBe(200);
  } finally {
    await headless.close();
  }
});

describe("loadUiFiles", () => {
  test("takes the files `bun build --compile` embedded, page at /index.html, hashed names immutable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agentd-ui-files-"));
    writeFileSync(join(dir, "index-abcd1234.html"), "<!doctype html>");
    writeFileSync(join(dir, "chunk-abcd1234.js"), "1");
    writeFileSync(join(dir, "robots.txt"), "");
    const headers = (type: string) => ({ etag: "x", "content-type": type });
    const bundle: HTMLBundle = {
      index: join(dir, "index-abcd1234.html"),
      files: [
        { path: join(dir, "index-abcd1234.html"), loader: "html", isEntry: true, headers: headers("text/html;charset=utf-8") },
        { path: join(dir, "chunk-abcd1234.js"), loader: "js", isEntry: true, headers: headers("text/javascript;charset=utf-8") },
        { path: join(dir, "robots.txt"), loader: "file", isEntry: false, headers: headers("text/plain") },
      ],
    };
    const files = await loadUiFiles(bundle);
    expect(files.map(({ urlPath, immutable }) => [urlPath, immutable])).toEqual([
      ["/index.html", false],
      ["/chunk-abcd1234.js", true],
      ["/robots.txt", false],
    ]);
    expect(new TextDecoder().decode(files[0]!.body)).toBe("<!doctype html>");
  });
});
