import { signal } from "@preact/signals";

/** Layout state: whether the conversation drawer is open on narrow screens. */
export function createLayoutModel() {
  const sidebarOpen = signal(false);
  return {
    sidebarOpen,
    toggleSidebar: () => void (sidebarOpen.value = !sidebarOpen.peek()),
    closeSidebar: () => void (sidebarOpen.value = false),
  };
}

export type LayoutModel = ReturnType<typeof createLayoutModel>;
