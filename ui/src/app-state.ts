import { Api } from "./api.ts";
import { ChatClient } from "./chat-client.ts";
import { chatSocketUrl } from "./socket-url.ts";
import { conversationIdFromHash, hashForConversation } from "./location-hash.ts";
import { createAgentsModel } from "./models/agents.ts";
import { createChatModel } from "./models/chat.ts";
import { createConversationsModel } from "./models/conversations.ts";
import { createLayoutModel } from "./models/layout.ts";
import { createServerInfoModel } from "./models/server-info.ts";
import { createSessionModel } from "./models/session.ts";

/** Builds every model and wires them together; the UI's composition root. */
export function createAppState(browser: Window) {
  const api = new Api();
  const layout = createLayoutModel();
  const serverInfo = createServerInfoModel(api);
  const conversations = createConversationsModel(api);
  const agents = createAgentsModel(api);
  const chat = createChatModel({
    api,
    createClient: (id) =>
      new ChatClient({
        url: () => chatSocketUrl(browser.location, id, serverInfo.info.peek()?.websocketUrl, api.accessToken),
        refreshToken: () => api.refresh(),
      }),
    onUnauthenticated: () => session.expire(),
    onActivity: (id) => conversations.bump(id),
  });
  const session = createSessionModel(api, {
    onSignedIn() {
      void serverInfo.load();
      void agents.load();
      void conversations.load().then(() => {
        const fromUrl = conversationIdFromHash(browser.location.hash);
        if (fromUrl !== null && session.phase.peek() === "signed-in") selectConversation(fromUrl);
      });
    },
    onSignedOut() {
      void chat.open(null);
      conversations.reset();
      layout.closeSidebar();
    },
  });
  api.onSessionLost = () => session.expire();

  function selectConversation(id: string | null): void {
    conversations.selectedId.value = id;
    layout.closeSidebar();
    const url = browser.location.pathname + browser.location.search + hashForConversation(id);
    browser.history.replaceState(null, "", url);
    if (id !== chat.conversationId.peek()) void chat.open(id);
  }

  async function newConversation(): Promise<void> {
    const created = await conversations.create(agents.hasChoice() ? agents.chosen.peek() : undefined);
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
    layout,
    selectConversation,
    newConversation,
    deleteConversation,
    start: () => session.start(),
  };
}

export type AppState = ReturnType<typeof createAppState>;
