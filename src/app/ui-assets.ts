import type { HTMLBundle } from "bun";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Cached {
  body: ArrayBuffer;
  headers: [string, string][];
}

export interface UiAssets {
  /** The page or a bundled file for a GET/HEAD `request`; null when there is no such file. */
  fetch(request: Request): Promise<Response | null>;
  close(): Promise<void>;
}

/**
 * Serves the bundled UI through the HTTP app, so its answers carry the security headers: Bun
 * serves an HTML import (with its hashed script and CSS files) only as a `routes` entry, whose
 * headers cannot be set. The bundle is served by a private Bun server on a Unix socket in a 0700
 * directory, and each file it has is fetched once and kept in memory (the set is fixed).
 */
export function startUiAssets(page: HTMLBundle): UiAssets {
  const dir = mkdtempSync(join(tmpdir(), "agentd-ui-"));
  const unix = join(dir, "ui.sock");
  const inner = Bun.serve({
    unix,
    development: false,
    routes: { "/": page },
    fetch: () => new Response(null, { status: 404 }),
  });
  const cache = new Map<string, Cached>();

  return {
    async fetch(request) {
      if (request.method !== "GET" && request.method !== "HEAD") return null;
      const path = new URL(request.url).pathname;
      let entry = cache.get(path);
      if (!entry) {
        const response = await fetch(`http://localhost${path}`, { unix });
        if (response.status !== 200) return null;
        entry = { body: await response.arrayBuffer(), headers: [...response.headers].filter(([name]) => name !== "date") };
        cache.set(path, entry);
      }
      return new Response(request.method === "HEAD" ? null : entry.body, { status: 200, headers: entry.headers });
    },
    async close() {
      await inner.stop(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
