import { brotliCompress, constants as zlib, gzip } from "node:zlib";
import { promisify } from "node:util";

/** One file of the built web UI, served at `urlPath`. */
export interface StaticFile {
  /** `/index.html`, `/chunk-1a2b3c4d.js`, … */
  urlPath: string;
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
  /** The name carries a content hash: cache it for a year. Otherwise the browser revalidates every time. */
  immutable: boolean;
}

export interface StaticFilesOptions {
  /** Extra headers on the HTML page (the Content-Security-Policy). */
  pageHeaders?: Record<string, string>;
  /** Files smaller than this are sent as they are (default 1024 bytes). */
  minCompressBytes?: number;
}

type Encoding = "br" | "gzip";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|manifest\+json)|image\/svg\+xml)/;

const encoders: Record<Encoding, (body: Uint8Array) => Promise<Uint8Array<ArrayBuffer>>> = {
  br: (body) => brotli(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => gzipAsync(body, { level: 9 }),
};

/**
 * The encoding to send for an `Accept-Encoding` header: brotli, else gzip, else none. A coding with
 * `q=0` is refused; `*` stands for any coding not named.
 */
export function chooseEncoding(acceptEncoding: string | null): Encoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const accepts = (name: Encoding) => (weights.get(name) ?? weights.get("*") ?? 0) > 0;
  if (accepts("br")) return "br";
  if (accepts("gzip")) return "gzip";
  return null;
}

interface Entry {
  file: StaticFile;
  etag: string;
  compressible: boolean;
}

// Compressed bodies, per body: servers started in one process over the same files compress each once.
const compressed = new WeakMap<Uint8Array, Partial<Record<Encoding, Promise<Uint8Array<ArrayBuffer>>>>>();

function encoded(body: Uint8Array<ArrayBuffer>, encoding: Encoding): Promise<Uint8Array<ArrayBuffer>> {
  let forBody = compressed.get(body);
  if (!forBody) compressed.set(body, (forBody = {}));
  return (forBody[encoding] ??= encoders[encoding](body));
}

/**
 * Serves the built UI: `GET`/`HEAD` of `/` (the page) and of each file by its path, with its content
 * type, `ETag` and `304` on `If-None-Match`, a one-year immutable cache for hashed names and
 * `no-cache` for the page, and brotli or gzip when the browser accepts it (each file compressed
 * once, on first request). Answers null for any other request so the caller can route it on.
 */
export function createStaticFiles(files: readonly StaticFile[], options: StaticFilesOptions = {}) {
  const minCompress = options.minCompressBytes ?? 1024;
  const entries = new Map<string, Entry>();
  for (const file of files) {
    entries.set(file.urlPath, {
      file,
      etag: `"${Bun.hash(file.body).toString(36)}"`,
      compressible: COMPRESSIBLE.test(file.contentType) && file.body.length >= minCompress,
    });
  }
  const page = entries.get("/index.html");
  if (page) entries.set("/", page);

  return {
    /** The response for `request`, or null when it is not for a UI file. */
    async respond(request: Request): Promise<Response | null> {
      if (request.method !== "GET" && request.method !== "HEAD") return null;
      const entry = entries.get(new URL(request.url).pathname);
      if (!entry) return null;
      const { file } = entry;
      const encoding = entry.compressible ? chooseEncoding(request.headers.get("accept-encoding")) : null;
      const etag = encoding ? `${entry.etag.slice(0, -1)}-${encoding}"` : entry.etag;
      const headers: Record<string, string> = {
        "content-type": file.contentType,
        "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
        etag,
        "x-content-type-options": "nosniff",
        ...(entry.compressible ? { vary: "Accept-Encoding" } : {}),
        ...(file === page?.file ? options.pageHeaders : {}),
      };
      const ifNoneMatch = request.headers.get("if-none-match");
      if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
        return new Response(null, { status: 304, headers });
      }
      const body = encoding ? await encoded(file.body, encoding) : file.body;
      if (encoding) headers["content-encoding"] = encoding;
      headers["content-length"] = String(body.length);
      return new Response(request.method === "HEAD" ? null : body, { status: 200, headers });
    },
  };
}

export type StaticFiles = ReturnType<typeof createStaticFiles>;

/**
 * Like `createStaticFiles`, but the files are loaded on the first request for any path, so a
 * server that is never asked for its UI (an API-only client, most tests) never builds or reads it.
 * A failed load is tried again on the next request.
 */
export function createLazyStaticFiles(load: () => Promise<readonly StaticFile[]>, options: StaticFilesOptions = {}): StaticFiles {
  let ready: Promise<StaticFiles> | undefined;
  return {
    async respond(request) {
      if (request.method !== "GET" && request.method !== "HEAD") return null;
      ready ??= load().then(
        (files) => createStaticFiles(files, options),
        (error: unknown) => {
          ready = undefined;
          throw error;
        },
      );
      return (await ready).respond(request);
    },
  };
}
