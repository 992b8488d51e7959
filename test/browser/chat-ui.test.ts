/**
 * The web UI in a real browser (Debian's Chromium through playwright-core) against the compiled
 * binary and the fixture model: log in, stream a reply token by token, survive a server restart,
 * render hostile model output inert, and work in two tabs at once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { chromiumAvailable, replyShows, startBrowserStack, type BrowserStack } from "../helpers/browser.ts";

const enabled = chromiumAvailable("browser end-to-end tests");

let stack: BrowserStack;
/** Requests the pages made to anything but the server under test. */
const foreignRequests: string[] = [];

beforeAll(async () => {
  if (!enabled) return;
  stack = await startBrowserStack({ AGENTD_SERVER__SHUTDOWN_TIMEOUT_MS: "5000" }, { username: "ada", password: "a long enough password" });
  stack.browser.context.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== stack.server.url && url.protocol !== "data:") foreignRequests.push(request.url());
  });
}, 120_000);

afterAll(() => stack?.close());

const body = (page: Page, role: "user" | "assistant") => page.locator(`[data-testid=message][data-role=${role}] [data-testid=message-body]`);
const badge = (page: Page) => page.getByTestId("status-badge");

let page: Page;
let conversationUrl: string;

describe.skipIf(!enabled)("the web UI in Chromium, served by the compiled binary", () => {
  test("log in, open a new conversation: the welcome, example prompts, Live; the script came compressed and cacheable", async () => {
    page = await stack.browser.context.newPage();
    const scripts: Record<string, string>[] = [];
    page.on("response", (response) => {
      if (response.url().endsWith(".js")) scripts.push(response.headers());
    });
    await stack.signIn(page);
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
    stack.model.lockstep.enable();
    stack.model.script({ text: tokens });
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
      const request = await stack.model.lockstep.waitForSent(k);
      await replyShows(page, tokens.slice(0, k + 1).join(""));
      // On screen, and the fixture still holds token k+1: the browser is not animating a finished reply.
      expect(request.sentTokens).toBe(k + 1);
      stack.model.lockstep.release();
    }
    await page.locator("[data-testid=message][data-role=assistant][data-state=done]").waitFor();
    stack.model.lockstep.disable();
    expect(await body(page, "assistant").last().textContent()).toBe(tokens.join(""));
  }, 30_000);

  test("a reply with <script>, <img onerror> and a javascript: link renders inert", async () => {
    const hostile =
      'Hi <script>window.__pwned = "script"</script> <img src=x onerror="window.__pwned = \'img\'"> ' +
      "[click](javascript:window.__pwned='link') and **bold**\n\n```html\n<script>alert(1)</script>\n```\n";
    stack.model.script({ text: [hostile] });
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
    stack.model.lockstep.enable();
    stack.model.script({ text: tokens });
    await page.getByTestId("composer-input").fill("survive a restart");
    await page.keyboard.press("Enter");
    await stack.model.lockstep.waitForSent(0);
    await replyShows(page, "Before");
    stack.model.lockstep.release();
    await stack.model.lockstep.waitForSent(1);
    await replyShows(page, "Before the");

    const exited = stack.server.stop();
    // The server lets the reply finish before it closes the sockets.
    stack.model.lockstep.releaseAll();
    expect(await exited).toBe(0);
    await page.locator("[data-testid=status-badge][data-status=reconnecting]").waitFor();
    expect(await badge(page).textContent()).toMatch(/Reconnecting \(\d+\)/);
    stack.model.lockstep.disable();

    await stack.serveAgain();
    await page.locator("[data-testid=status-badge][data-status=live]").waitFor({ timeout: 15_000 });
    await replyShows(page, tokens.join(""));
    const replies = await body(page, "assistant").allTextContents();
    expect(replies.filter((text) => text === tokens.join(""))).toHaveLength(1);
    expect(replies.join("")).not.toContain(`${tokens.join("")}${tokens[0]}`);
    const questions = await body(page, "user").allTextContents();
    expect(questions.filter((text) => text === "survive a restart")).toHaveLength(1);
  }, 45_000);

  test("a second tab of the same user opens the conversation and sees the other tab's reply", async () => {
    const second = await stack.browser.context.newPage();
    second.setDefaultTimeout(10_000);
    await second.goto(conversationUrl);
    await second.locator("[data-testid=status-badge][data-status=live]").waitFor();
    expect(await body(second, "assistant").count()).toBe(await body(page, "assistant").count());

    stack.model.script({ text: ["Both", " tabs", " see", " this."] });
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
    stack.model.script({ text: ["Happy", " to", " help."] });
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
