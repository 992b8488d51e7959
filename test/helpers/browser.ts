import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { buildBinary, emptyDir, fixtureModelEnv, spawnBinary } from "./binary.ts";
import { startBinaryServer, type BinaryServer } from "./binary-server.ts";

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

export interface BrowserStack {
  model: FixtureModel;
  browser: TestBrowser;
  /** The server running now; serveAgain replaces it. */
  server: BinaryServer;
  /** Starts the binary again on the port of the server it stopped or killed, with `env` added. */
  serveAgain(env?: Record<string, string>): Promise<void>;
  /** Opens the server in `page` and signs in as the stack's user. */
  signIn(page: Page): Promise<void>;
  /** Closes the browser, stops the server, then the model. */
  close(): Promise<void>;
}

/**
 * What a browser suite runs against: the compiled binary serving from a fresh directory with `user`
 * added, configured by fixtureModelEnv and `env`; the fixture model; Chromium.
 */
export async function startBrowserStack(env: Record<string, string>, user: { username: string; password: string }): Promise<BrowserStack> {
  const [binary, model, browser] = await Promise.all([buildBinary(), startFixtureModel({ waitTimeoutMs: 10_000 }), launchBrowser()]);
  const cwd = emptyDir();
  const serverEnv = { ...fixtureModelEnv(model), ...env };
  try {
    const added = spawnBinary(binary, ["user", "add", user.username, "--password-stdin"], { cwd, env: { ...serverEnv, AGENTD_DATA_DIR: join(cwd, "data") }, stdin: `${user.password}\n` });
    const code = await added.proc.exited;
    if (code !== 0) throw new Error(`user add exited with ${code}:\n${added.output()}`);
    const stack: BrowserStack = {
      model,
      browser,
      server: await startBinaryServer(binary, cwd, serverEnv),
      async serveAgain(extra = {}) {
        stack.server = await startBinaryServer(binary, cwd, { ...serverEnv, ...extra }, stack.server.port);
      },
      async signIn(page) {
        page.setDefaultTimeout(10_000);
        await page.goto(stack.server.url);
        await page.getByTestId("login-username").fill(user.username);
        await page.getByTestId("login-password").fill(user.password);
        await page.getByTestId("login-submit").click();
        await page.getByTestId("current-user").filter({ hasText: user.username }).waitFor();
      },
      async close() {
        await browser.close();
        await stack.server.stop();
        await model.close();
      },
    };
    return stack;
  } catch (error) {
    await browser.close();
    await model.close();
    throw error;
  }
}

/** Waits until the last reply on screen reads exactly `text`. */
export async function replyShows(page: Page, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const bodies = document.querySelectorAll("[data-testid=message][data-role=assistant] [data-testid=message-body]");
      return bodies[bodies.length - 1]?.textContent === expected;
    },
    text,
    { timeout },
  );
}
