/**
 * The web UI in a real browser (Debian's Chromium through playwright-core) against the compiled
 * binary and the fixture model: log in, stream a reply token by token, survive a server restart,
 * render hostile model output inert, and work in two tabs at once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { buildBinary, emptyDir, spawnBinary } from "../helpers/binary.ts";
import { startBinaryServer, type BinaryServer } from "../helpers/binary-server.ts";
import { chromiumAvailable, launchBrowser, type TestBrowser } from "../helpers/browser.ts";

const enabled = chromiumAvailable("browser end-to-end tests");
const PASSWORD = "a long enough password";

let model: FixtureModel;
let server: BinaryServer;
let browser: TestBrowser;
let binary: string;
let cwd: string;
let env: Record<string, string>;
/** Requests the pages made to anything but the server under test. */
const foreignRequests: string[] = [];

beforeAll(async () => {
  if (!enabled) return;
  [binary, model, browser] = await Promise.all([buildBinary(), startFixtureModel({ waitTimeoutMs: 10_000 }), launchBrowser()]);
  cwd = emptyDir();
  env = {
    AGENTD_LLM__BASE_URL: model.url,
    AGENTD_LLM__MODEL: "fixture-model",
    AGENTD_LLM__API_KEY: "test-key",
    AGENTD_LLM__MAX_RETRIES: "0",
    AGENTD_WORKERS__THREADS: "1",
    AGENTD_SERVER__SHUTDOWN_TIMEOUT_MS: "5000",
  };
  const added = spawnBinary(binary, ["user", "add", "ada", "--password-stdin"], { cwd, env: { ...env, AGENTD_DATA_DIR: `${cwd}/data` }, stdin: `${PASSWORD}\n` });
  expect(await added.proc.exited).toBe(0);
  server = await startBinaryServer(binary, cwd, env);
  browser.context.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== server.url && url.protocol !== "data:") foreignRequests.push(request.url());
  });
}, 120_000);

afterAll(async () => {
  if (!enabled) return;
  await browser?.close();
  await server?.stop();
  await model?.close();
});

const body = (page: Page, role: "user" | "assistant") => page.locator(`[data-testid=message][data-role=${role}] [data-testid=message-body]`);
const badge = (page: Page) => page.getByTestId("status-badge");

async function signIn(page: Page): Promise<void> {
  page.setDefaultTimeout(10_000);
  await page.goto(server.url);
  await page.getByTestId("login-username").fill("ada");
  await page.getByTestId("login-password").fill(PASSWORD);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("current-user").filter({ hasText: "ada" }).waitFor();
}

/** Waits until the text of the last reply on screen is exactly `text`. */
async function replyShows(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const replies = document.querySelectorAll("[data-testid=message][data-role=assistant] [data-testid=message-body]");
      return replies[replies.length - 1]?.textContent === expected;
    },
    text,
    { timeout: 10_000 },
  );
}

let page: Page;
let conversationUrl: string;

describe.skipIf(!enabled)("the web UI in Chromium, served by the compiled binary", () => {
  test("log in, open a new conversation: the welcome, example prompts, Live; the script came compressed and cacheable", async () => {
    page = await browser.context.newPage();
    const scripts: Record<string, string>[] = [];
    page.on("response", (response) => {
      if (response.url().endsWith(".js")) scripts.push(response.headers());
    });
    await signIn(page);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatchObject({ "content-encoding": "br", "cache-control": "public, max-age=31536000, immutable" });
    await page.getByTestId("new-conversation").click();
    await page.getByTestId("empty-conversation").waitFor();
    expect(await page.getByTestId("example-prompt").count()).toBeGreaterThan(1);
    await page.locator("[data-testid=status-badge][data-status=live]").waitFor();
    expect(await badge(page).textContent()).toContain("Live");
    conversationUrl = page.url();
    expect(conversationUrl).toContain("#/c/");
  }, 30_000);

  test("token k is on screen before the fixture releases token k+1; Shift+Enter adds a line, Enter sends", async () => {
    const tokens = ["Streaming", " really", " is", " token", " by", " token."];
    model.lockstep.enable();
    model.script({ text: tokens });
    const input = page.getByTestId("composer-input");
    await input.click();
    await page.keyboard.type("first line");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    await page.keyboard.press("Enter");
    await body(page, "user").last().filter({ hasText: "first line" }).waitFor();
    expect(await body(page, "user").last().textContent()).toBe("first line\nsecond line");
    expect(await input.inputValue()).toBe("");

    for (let k = 0; k < tokens.length; k++) {
      const request = await model.lockstep.waitForSent(k);
      await replyShows(page, tokens.slice(0, k + 1).join(""));
      // On screen, and the fixture still holds token k+1: the browser is not animating a finished reply.
      expect(request.sentTokens).toBe(k + 1);
      model.lockstep.release();
    }
    await page.locator("[data-testid=message][data-role=assistant][data-state=done]").waitFor();
    model.lockstep.disable();
    expect(await body(page, "assistant").last().textContent()).toBe(tokens.join(""));
  }, 30_000);

  test("a reply with <script>, <img onerror> and a javascript: link renders inert", async () => {
    const hostile =
      'Hi <script>window.__pwned = "script"</script> <img src=x onerror="window.__pwned = \'img\'"> ' +
      "[click](javascript:window.__pwned='link') and **bold**\n\n```html\n<script>alert(1)</script>\n```\n";
    model.script({ text: [hostile] });
    await page.getByTestId("composer-input").fill("be hostile");
    await page.getByTestId("send-button").click();
    await page.locator("[data-testid=message][data-role=assistant][data-state=done]").nth(1).waitFor();
    const reply = page.locator("[data-testid=message][data-role=assistant]").last();
    expect(await reply.locator("script, img, iframe, [onerror]").count()).toBe(0);
    expect(await reply.locator("a").count()).toBe(0);
    expect(await reply.locator("strong").textContent()).toBe("bold");
    const text = (await reply.getByTestId("message-body").textContent()) ?? "";
    expect(text).toContain('<script>window.__pwned = "script"</script>');
    expect(text).toContain("<img src=x onerror=");
    await reply.getByText("click").click();
    expect(await reply.getByTestId("code-block").locator("code").textContent()).toBe("<script>alert(1)</script>");
    await reply.getByTestId("copy-code").click();
    await reply.getByTestId("copy-code").filter({ hasText: /Copied|Ctrl\+C/ }).waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined();
  }, 30_000);

  test("server stopped mid-reply: Reconnecting; started again on the same port: Live, the reply whole and once", async () => {
    const tokens = ["Before", " the", " restart", " and", " after", " it."];
    model.lockstep.enable();
    model.script({ text: tokens });
    await page.getByTestId("composer-input").fill("survive a restart");
    await page.keyboard.press("Enter");
    await model.lockstep.waitForSent(0);
    await replyShows(page, "Before");
    model.lockstep.release();
    await model.lockstep.waitForSent(1);
    await replyShows(page, "Before the");

    const exited = server.stop();
    // The server lets the reply finish before it closes the sockets.
    model.lockstep.releaseAll();
    expect(await exited).toBe(0);
    await page.locator("[data-testid=status-badge][data-status=reconnecting]").waitFor();
    expect(await badge(page).textContent()).toMatch(/Reconnecting \(\d+\)/);
    model.lockstep.disable();

    server = await startBinaryServer(binary, cwd, env, server.port);
    await page.locator("[data-testid=status-badge][data-status=live]").waitFor({ timeout: 15_000 });
    await replyShows(page, tokens.join(""));
    const replies = await body(page, "assistant").allTextContents();
    expect(replies.filter((text) => text === tokens.join(""))).toHaveLength(1);
    expect(replies.join("")).not.toContain(`${tokens.join("")}${tokens[0]}`);
    const questions = await body(page, "user").allTextContents();
    expect(questions.filter((text) => text === "survive a restart")).toHaveLength(1);
  }, 45_000);

  test("a second tab of the same user opens the conversation and sees the other tab's reply", async () => {
    const second = await browser.context.newPage();
    second.setDefaultTimeout(10_000);
    await second.goto(conversationUrl);
    await second.locator("[data-testid=status-badge][data-status=live]").waitFor();
    expect(await body(second, "assistant").count()).toBe(await body(page, "assistant").count());

    model.script({ text: ["Both", " tabs", " see", " this."] });
    await second.getByTestId("composer-input").fill("from the second tab");
    await second.keyboard.press("Enter");
    await replyShows(second, "Both tabs see this.");
    await replyShows(page, "Both tabs see this.");
    await second.close();
  }, 30_000);

  test("usable at 360 px: nothing wider than the screen, the conversation list is a drawer", async () => {
    await page.setViewportSize({ width: 360, height: 720 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByTestId("sidebar-toggle").click();
    await page.getByTestId("new-conversation").waitFor({ state: "visible" });
    await page.keyboard.press("Escape");
    await page.getByTestId("new-conversation").waitFor({ state: "hidden" });
    await page.setViewportSize({ width: 1100, height: 760 });
  }, 30_000);

  test("an example prompt of a new conversation sends itself; the reply streams into the aria-live log", async () => {
    model.script({ text: ["Happy", " to", " help."] });
    await page.getByTestId("new-conversation").click();
    await page.getByTestId("empty-conversation").waitFor();
    await page.locator("[data-testid=status-badge][data-status=live]").waitFor();
    const prompt = page.getByTestId("example-prompt").first();
    const text = (await prompt.textContent())!;
    await prompt.click();
    await body(page, "user").filter({ hasText: text }).waitFor();
    await replyShows(page, "Happy to help.");
    const log = page.getByTestId("message-list");
    expect(await log.getAttribute("aria-live")).toBe("polite");
    expect(await log.getAttribute("role")).toBe("log");
    expect(await page.getByTestId("empty-conversation").count()).toBe(0);
  }, 30_000);

  test("the pages asked nothing of any host but the server", () => {
    expect(foreignRequests).toEqual([]);
  });
});
