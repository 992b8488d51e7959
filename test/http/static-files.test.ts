import { describe, expect, test } from "bun:test";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { contentSecurityPolicy } from "../../src/http/content-security-policy.ts";
import { chooseEncoding, createLazyStaticFiles, createStaticFiles, type StaticFile } from "../../src/http/static-files.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const script = "console.log('agentd');\n".repeat(200);
const files: StaticFile[] = [
  { urlPath: "/index.html", contentType: "text/html;charset=utf-8", body: bytes("<!doctype html><title>agentd</title>"), immutable: false },
  { urlPath: "/chunk-abcd1234.js", contentType: "text/javascript;charset=utf-8", body: bytes(script), immutable: true },
  { urlPath: "/logo-abcd1234.png", contentType: "image/png", body: new Uint8Array(4096).fill(7), immutable: true },
];
const site = createStaticFiles(files, { pageHeaders: { "content-security-policy": "default-src 'self'" } });
const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  site.respond(new Request(`http://localhost${path}`, { method, headers }));

describe("chooseEncoding", () => {
  test("prefers brotli, then gzip, honours q=0 and *", () => {
    expect(chooseEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(chooseEncoding("gzip, deflate")).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip;q=0")).toBeNull();
    expect(chooseEncoding("*")).toBe("br");
    expect(chooseEncoding("identity")).toBeNull();
    expect(chooseEncoding("br;q=nonsense, gzip")).toBe("gzip");
    expect(chooseEncoding(null)).toBeNull();
    expect(chooseEncoding(" , ")).toBeNull();
  });
});

describe("serving the built UI", () => {
  test("/ is the page: no-cache, with its security headers", async () => {
    const page = (await get("/"))!;
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html;charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toBe("default-src 'self'");
    expect(await page.text()).toContain("<title>agentd</title>");
    expect((await get("/index.html"))!.headers.get("etag")).toBe(page.headers.get("etag"));
  });

  test("hashed files are cached for a year and compressed as the browser accepts", async () => {
    const plain = (await get("/chunk-abcd1234.js"))!;
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.headers.get("vary")).toBe("Accept-Encoding");
    expect(plain.headers.get("content-security-policy")).toBeNull();
    expect(await plain.text()).toBe(script);

    const br = (await get("/chunk-abcd1234.js", { "accept-encoding": "gzip, br" }))!;
    expect(br.headers.get("content-encoding")).toBe("br");
    const brBody = new Uint8Array(await br.arrayBuffer());
    expect(Number(br.headers.get("content-length"))).toBe(brBody.length);
    expect(brBody.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(brBody).toString()).toBe(script);

    const gz = (await get("/chunk-abcd1234.js", { "accept-encoding": "gzip" }))!;
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(new Uint8Array(await gz.arrayBuffer())).toString()).toBe(script);
    expect(new Set([plain, br, gz].map((r) => r.headers.get("etag"))).size).toBe(3);
  });

  test("images and small files are sent as they are", async () => {
    const png = (await get("/logo-abcd1234.png", { "accept-encoding": "br" }))!;
    expect(png.headers.get("content-encoding")).toBeNull();
    expect(png.headers.get("vary")).toBeNull();
    expect((await png.arrayBuffer()).byteLength).toBe(4096);
    expect((await get("/", { "accept-encoding": "br" }))!.headers.get("content-encoding")).toBeNull();
  });

  test("If-None-Match answers 304 for the same representation only", async () => {
    const br = (await get("/chunk-abcd1234.js", { "accept-encoding": "br" }))!;
    const etag = br.headers.get("etag")!;
    const again = (await get("/chunk-abcd1234.js", { "accept-encoding": "br", "if-none-match": `"other", W/${etag}` }))!;
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await get("/chunk-abcd1234.js", { "if-none-match": etag }))!.status).toBe(200);
  });

  test("HEAD has the headers and no body; other methods and paths are not ours", async () => {
    const head = (await get("/chunk-abcd1234.js", {}, "HEAD"))!;
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(script.length));
    expect(await head.text()).toBe("");
    expect(await get("/chunk-abcd1234.js", {}, "POST")).toBeNull();
    expect(await get("/api/me")).toBeNull();
    expect(await get("/chunk-missing.js")).toBeNull();
  });
});

describe("contentSecurityPolicy", () => {
  test("scripts and styles from the page's origin only; sockets to it or to ui.websocket_url", () => {
    const own = contentSecurityPolicy();
    expect(own).toContain("script-src 'self';");
    expect(own).toContain("style-src 'self';");
    expect(own).toContain("connect-src 'self';");
    expect(own).toContain("frame-ancestors 'none'");
    expect(own).not.toContain("unsafe");
    expect(contentSecurityPolicy("wss://chat.example.com:8443/base")).toContain("connect-src 'self' wss://chat.example.com:8443;");
  });
});

describe("createLazyStaticFiles", () => {
  test("loads on the first GET only, once; a failed load is tried again", async () => {
    let loads = 0;
    let fail = true;
    const lazy = createLazyStaticFiles(async () => {
      loads++;
      if (fail) throw new Error("bundle failed");
      return files;
    });
    expect(await lazy.respond(new Request("http://localhost/", { method: "POST" }))).toBeNull();
    expect(loads).toBe(0);
    await expect(lazy.respond(new Request("http://localhost/"))).rejects.toThrow("bundle failed");
    fail = false;
    expect((await lazy.respond(new Request("http://localhost/")))!.status).toBe(200);
    expect((await lazy.respond(new Request("http://localhost/chunk-abcd1234.js")))!.status).toBe(200);
    expect(loads).toBe(2);
  });
});
