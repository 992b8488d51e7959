import type { ServerInfoModel } from "../models/server-info.ts";

/** "Demo model" when the server runs its built-in demo model; a warning when no model is configured. */
export function ModelBadge({ serverInfo }: { serverInfo: ServerInfoModel }) {
  const info = serverInfo.info.value;
  if (!info) return null;
  if (info.demo) {
    return (
      <span class="badge badge--demo" data-testid="demo-badge" title="Replies come from the built-in demo model, not a real LLM">
        Demo model
      </span>
    );
  }
  if (!info.modelConfigured) {
    return (
      <span class="badge badge--warning" data-testid="model-not-configured" title="An administrator has to configure a model before replies work">
        No model configured
      </span>
    );
  }
  return info.model ? (
    <span class="badge badge--quiet" data-testid="model-name">
      {info.model}
    </span>
  ) : null;
}
