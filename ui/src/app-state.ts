import { signal } from "@preact/signals";
import { Api } from "./api.ts";
import { ChatClient } from "./chat-client.ts";
import { chatSocketUrl } from "./socket-url.ts";
import { conversationIdFromHash, hashForConversation, PROJECTS_HASH } from "./location-hash.ts";
import { createAgentsModel } from "./models/agents.ts";
import { createChatModel } from "./models/chat.ts";
import { createConversationsModel } from "./models/conversations.ts";
import { createLayoutModel } from "./models/layout.ts";
import { createProjectsModel } from "./models/projects.ts";
import { createRateLimitModel } from "./models/rate-limit.ts";
import { createServerInfoModel } from "./models/server-info.ts";
import { createSessionModel } from "./models/session.ts";
import { createTokenRefresh } from "./models/token-refresh.ts";

/** What the main area shows: the open conversation, or the projects list. */
export type Screen = "chat" | "projects";

/** Builds every model and wires them together; the UI's composition root. */
export function createAppState(browser: Window) {
  const api = new Api();
  const screen = signal<Screen>("chat");
  const layout = createLayoutModel();
  const serverInfo = createServerInfoModel(api);
  const conversations = createConversationsModel(api);
  const agents = createAgentsModel(api);
  const projects = createProjectsModel(api);
  const rateLimit = createRateLimitModel();
  const tokenRefresh = createTokenRefresh({ api });
  const chat = createChatModel({
    api,
    createClient: (id, resumeFrom) =>
      new ChatClient({
        url: () => chatSocketUrl(browser.location, id, serverInfo.info.peek()?.websocketUrl, api.accessToken),
        resumeFrom,
        refreshToken: () => api.refresh(),
      }),
    onUnauthenticated: () => session.expire(),
    onActivity: (id) => conversations.bump(id),
    rateLimit,
  });
  // Every new access token is renewed in time, and handed to the open socket so it stays open.
  api.onToken = (token, expiresAt) => {
    tokenRefresh.tokenChanged(expiresAt);
    chat.refreshAuth(token);
  };
  const session = createSessionModel(api, {
    onSignedIn() {
      tokenRefresh.start();
      void serverInfo.load();
      void agents.load();
      void conversations.load().then(() => {
        if (session.phase.peek() !== "signed-in") return;
        if (browser.location.hash === PROJECTS_HASH) return showProjects();
        const fromUrl = conversationIdFromHash(browser.location.hash);
        if (fromUrl !== null) selectConversation(fromUrl);
      });
    },
    onSignedOut() {
      tokenRefresh.stop();
      void chat.open(null);
      conversations.reset();
      projects.reset();
      rateLimit.reset();
      screen.value = "chat";
      layout.closeSidebar();
    },
  });
  api.onSessionLost = () => session.expire();

  function setHash(hash: string): void {
    browser.history.replaceState(null, "", browser.location.pathname + browser.location.search + hash);
  }

  function selectConversation(id: string | null): void {
    screen.value = "chat";
    conversations.selectedId.value = id;
    layout.closeSidebar();
    setHash(hashForConversation(id));
    if (id !== chat.conversationId.peek()) void chat.open(id);
  }

  /** The projects list, loaded afresh each time it is shown. */
  function showProjects(): void {
    screen.value = "projects";
    layout.closeSidebar();
    setHash(PROJECTS_HASH);
    void projects.load();
  }

  /** Creates a conversation with `agent`, else with the agent chosen in the sidebar, and opens it. */
  async function newConversation(agent?: string): Promise<void> {
    const created = await conversations.create(agent ?? (agents.hasChoice() ? agents.chosen.peek() : undefined));
    if (created) selectConversation(created.id);
  }

  async function deleteConversation(id: string): Promise<void> {
    const deleted = await conversations.remove(id);
    if (deleted && conversations.selectedId.peek() === id) selectConversation(null);
  }

  browser.addEventListener("online", () => chat.reconnectNow());

  return {
    session,
    serverInfo,
    conversations,
    agents,
    chat,
    projects,
    layout,
    screen,
    selectConversation,
    showProjects,
    newConversation,
    deleteConversation,
    start: () => session.start(),
  };
}

export type AppState = ReturnType<typeof createAppState>;
