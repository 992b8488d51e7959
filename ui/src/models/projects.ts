import { batch, signal } from "@preact/signals";
import type { Project } from "../../../src/protocol/index.ts";
import type { Api } from "../api.ts";

/** The projects screen: the user's projects (`GET /api/projects`), newest first. */
export function createProjectsModel(api: Pick<Api, "listProjects">) {
  const items = signal<Project[]>([]);
  const loading = signal(false);
  const error = signal<string | null>(null);
  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const projects = await api.listProjects();
      batch(() => {
        items.value = projects;
        loading.value = false;
      });
    } catch (failure) {
      batch(() => {
        error.value = failure instanceof Error ? failure.message : String(failure);
        loading.value = false;
      });
    }
  }

  return {
    items,
    loading,
    error,
    load,
    reset: () =>
      batch(() => {
        items.value = [];
        error.value = null;
      }),
  };
}

export type ProjectsModel = ReturnType<typeof createProjectsModel>;
