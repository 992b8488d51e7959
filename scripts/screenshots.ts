/**
 * `bun run screenshots`: saves the web UI's main screens to docs/screenshots/ (light and dark,
 * desktop and 360 px), from a real agentd with the scripted fixture model, in Debian's Chromium.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { PASSWORD, sendAndCollect, startTestAgentd } from "../test/helpers/agentd.ts";
import { chromiumAvailable, launchBrowser } from "../test/helpers/browser.ts";

const OUT = "docs/screenshots";
const REPLY = `Here is a release checklist for **agentd**:

1. Run the suite: \`bun test\`
2. Build the binary and smoke-test it
3. Tag the release

\`\`\`sh
bun run build && ./dist/agentd --help
\`\`\`

| Step | Owner | Status |
| --- | --- | --- |
| Tests | CI | done |
| Tag | you | next |

See [the protocol](https://example.com/protocol) for what changed.`;

if (!chromiumAvailable("screenshots")) process.exit(1);
mkdirSync(OUT, { recursive: true });
const agentd = await startTestAgentd();
await agentd.addUser("ada");
const { token } = await agentd.login("ada");
for (const title of ["Trip to Lisbon", "SQL index question", "Birthday poem"]) await agentd.createConversation(token, { title });
const conversation = await agentd.createConversation(token, { title: "Release checklist" });
const socket = await agentd.connect(conversation, token);
agentd.model.script({ text: REPLY.split(/(?<= )/) });
await sendAndCollect(socket, "What should I check before tagging a release?");
socket.close();
const chat = `#/c/${conversation}`;

async function shoot(name: string, options: Parameters<typeof launchBrowser>[0], act: (page: Page) => Promise<void>, hash = "") {
  const browser = await launchBrowser(options);
  try {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${agentd.url}/${hash}`);
    await act(page);
    await page.screenshot({ path: `${OUT}/${name}.png` });
    console.log(`saved ${OUT}/${name}.png`);
  } finally {
    await browser.close();
  }
}

async function signIn(page: Page) {
  await page.getByTestId("login-username").fill("ada");
  await page.getByTestId("login-password").fill(PASSWORD);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("logout-button").waitFor();
}

async function openChat(page: Page) {
  await signIn(page);
  await page.locator("[data-testid=status-badge][data-status=live]").waitFor();
  await page.getByTestId("code-block").waitFor();
}

try {
  await shoot("login", { width: 1100, height: 700 }, async (page) => void (await page.getByTestId("login-form").waitFor()));
  await shoot("chat-light", { width: 1100, height: 760 }, openChat, chat);
  await shoot("chat-dark", { width: 1100, height: 760, colorScheme: "dark" }, openChat, chat);
  await shoot("mobile-chat", { width: 360, height: 740 }, openChat, chat);
  await shoot("mobile-drawer", { width: 360, height: 740, colorScheme: "dark" }, async (page) => {
    await openChat(page);
    await page.getByTestId("sidebar-toggle").click();
    await page.getByTestId("new-conversation").waitFor({ state: "visible" });
  }, chat);
  await shoot("welcome", { width: 1100, height: 700 }, async (page) => {
    await signIn(page);
    await page.getByTestId("new-conversation").click();
    await page.getByTestId("empty-conversation").waitFor();
    await page.locator("[data-testid=status-badge][data-status=live]").waitFor();
  });
  await shoot("reconnecting", { width: 1100, height: 760 }, async (page) => {
    await openChat(page);
    await agentd.server.stop();
    await page.locator("[data-testid=status-badge][data-status=reconnecting]").waitFor();
  }, chat);
} finally {
  await agentd.close();
  await agentd.model.close();
}
