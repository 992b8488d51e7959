/**
 * `bun run screenshots`: saves the web UI's main screens to docs/screenshots/ (light and dark,
 * desktop and 360 px, a tool confirmation card, the projects list), from a real agentd with the
 * scripted fixture model, in Debian's Chromium.
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

// The project agent: two projects made and approved over the socket, and a third waiting for approval.
const projectArgs = [
  { title: "Atlas", description: "A map of every public library in town, with opening hours.", type: "app", tags: ["maps", "libraries"], links: ["https://example.org/atlas"], showcase: true },
  { title: "Tide tables", description: "A dataset of hourly tide heights for 40 harbours since 1990.", type: "dataset", tags: ["ocean", "open data"], links: ["https://example.org/tides"], showcase: false },
];
for (const [index, args] of projectArgs.entries()) {
  const id = await agentd.createConversation(token, { agent: "project", title: `Project: ${args.title}` });
  const projectSocket = await agentd.connect(id, token);
  agentd.model.script({ text: `Creating ${args.title} now.`, toolCalls: [{ id: `call_shot_${index}`, name: "create_project", arguments: args }] }, { text: `${args.title} is on your page.` });
  await sendAndCollect(projectSocket, `Make a project called ${args.title}.`);
  projectSocket.send({ type: "tool.approve", toolCallId: `call_shot_${index}` });
  await projectSocket.nextMatching((frame) => frame.type === "message.end" && frame.reason === "completed" && projectSocket.frames.some((f) => f.type === "tool.end"));
  projectSocket.close();
}
const pendingConversation = await agentd.createConversation(token, { agent: "project", title: "Project: Birdsong" });
const pendingSocket = await agentd.connect(pendingConversation, token);
agentd.model.script({
  text: "Here is the project as we discussed. Shall I create it?",
  toolCalls: [{ id: "call_shot_pending", name: "create_project", arguments: { title: "Birdsong", description: "Recognises 300 bird species from a phone recording, offline.", type: "model", tags: ["audio", "birds"], links: ["https://example.org/birdsong", "https://example.org/birdsong/paper"], showcase: true } }],
});
await sendAndCollect(pendingSocket, "Create the Birdsong project.");
pendingSocket.close();

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
  await shoot("tool-confirmation", { width: 1100, height: 760 }, async (page) => {
    await signIn(page);
    await page.locator("[data-testid=status-badge][data-status=live]").waitFor();
    await page.getByTestId("tool-confirm").waitFor();
  }, `#/c/${pendingConversation}`);
  await shoot("projects", { width: 1100, height: 760 }, async (page) => {
    await signIn(page);
    await page.getByTestId("project-title").first().waitFor();
  }, "#/projects");
  await shoot("reconnecting", { width: 1100, height: 760 }, async (page) => {
    await openChat(page);
    await agentd.server.stop();
    await page.locator("[data-testid=status-badge][data-status=reconnecting]").waitFor();
  }, chat);
} finally {
  await agentd.close();
  await agentd.model.close();
}
