import type { ConnectionStatus } from "../chat-client.ts";

function label(status: ConnectionStatus): { text: string; tone: "live" | "pending" | "offline" } {
  switch (status.state) {
    case "live":
      return { text: "Live", tone: "live" };
    case "reconnecting":
      return { text: `Reconnecting (${status.attempt})`, tone: "pending" };
    case "idle":
    case "connecting":
      return { text: "Connecting…", tone: "pending" };
    case "offline":
    case "closed":
      return { text: "Offline", tone: "offline" };
  }
}

/** The connection state of the open conversation: Live, Reconnecting (n), Offline. */
export function StatusBadge({ status }: { status: ConnectionStatus }) {
  const { text, tone } = label(status);
  return (
    <span class={`status-badge status-badge--${tone}`} data-testid="status-badge" data-status={status.state} role="status">
      <span class="status-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
