import type { TargetedKeyboardEvent } from "preact";
import type { AppState } from "../app-state.ts";
import { ChatPanel } from "./chat-panel.tsx";
import { ConversationList } from "./conversation-list.tsx";
import { ModelBadge } from "./model-badge.tsx";
import { ProjectsScreen } from "./projects-screen.tsx";

/** The built-in agent that creates projects (docs/agents.md). */
const PROJECT_AGENT = "project";

/** The signed-in layout: top bar, conversation sidebar (a drawer on narrow screens), chat panel. */
export function Shell({ state }: { state: AppState }) {
  const { layout, session, serverInfo } = state;
  const open = layout.sidebarOpen.value;

  function closeOnEscape(event: TargetedKeyboardEvent<HTMLElement>) {
    if (event.key === "Escape" && layout.sidebarOpen.peek()) {
      layout.closeSidebar();
      document.getElementById("sidebar-toggle")?.focus();
    }
  }

  return (
    <div class="shell" data-sidebar-open={open ? "true" : "false"} onKeyDown={closeOnEscape}>
      <header class="topbar">
        <button
          id="sidebar-toggle"
          type="button"
          class="icon-button sidebar-toggle"
          aria-label="Conversations"
          aria-expanded={open}
          aria-controls="sidebar"
          onClick={layout.toggleSidebar}
          data-testid="sidebar-toggle"
        >
          <span class="hamburger" aria-hidden="true" />
        </button>
        <span class="brand">agentd</span>
        <ModelBadge serverInfo={serverInfo} />
        <span class="topbar-spacer" />
        <span class="user-name" data-testid="current-user">
          {session.user.value?.username}
        </span>
        <button type="button" class="button button--ghost" onClick={() => void session.logout()} data-testid="logout-button">
          Sign out
        </button>
      </header>
      <div class="workspace">
        <aside id="sidebar" class="sidebar" aria-label="Conversations">
          <ConversationList state={state} />
        </aside>
        {open && <div class="scrim" aria-hidden="true" onClick={layout.closeSidebar} />}
        <main class="chat-area">
          {state.screen.value === "projects" ? (
            <ProjectsScreen
              projects={state.projects}
              onNewProject={state.agents.agents.value.some((agent) => agent.name === PROJECT_AGENT) ? () => void state.newConversation(PROJECT_AGENT) : undefined}
            />
          ) : (
            <ChatPanel state={state} />
          )}
        </main>
      </div>
    </div>
  );
}
