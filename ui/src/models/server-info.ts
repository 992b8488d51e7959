import { signal } from "@preact/signals";
import type { Api, ServerInfo } from "../api.ts";

/** What the server says about its model (`GET /api/info`): demo or real, configured or not. */
export function createServerInfoModel(api: Pick<Api, "info">) {
  const info = signal<ServerInfo | null>(null);

  async function load(): Promise<void> {
    try {
      info.value = await api.info();
    } catch {
      // Informational only; the chat itself reports a missing model when used.
      info.value = null;
    }
  }

  return { info, load };
}

export type ServerInfoModel = ReturnType<typeof createServerInfoModel>;
