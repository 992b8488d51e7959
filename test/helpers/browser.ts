import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's Chromium; `.ci/run` installs it with apt-get when missing. Never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // The suite's egress proxy is for agentd; the page talks to loopback only, which the tests check per request.
  "--no-proxy-server",
];

/**
 * Whether browser tests can run. Without Chromium they are skipped with a loud message, unless
 * REQUIRE_SERVICES=1 (CI), where a missing browser fails the suite instead.
 */
export function chromiumAvailable(suite: string): boolean {
  if (Bun.file(CHROMIUM_PATH).size > 0) return true;
  const message = `${suite}: Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`;
  if (process.env.REQUIRE_SERVICES === "1") throw new Error(`${message}; REQUIRE_SERVICES=1 requires it`);
  console.warn(`\n!!!!!!!! SKIPPING ${message} !!!!!!!!\n`);
  return false;
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile directory, removed on close. One context: its tabs share cookies. */
export async function launchBrowser(options: { width?: number; height?: number; colorScheme?: "light" | "dark" } = {}): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "agentd-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: options.width ?? 1100, height: options.height ?? 760 },
    colorScheme: options.colorScheme ?? "light",
    reducedMotion: "reduce",
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
