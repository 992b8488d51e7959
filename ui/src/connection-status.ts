/**
 * Why the client is offline. `unreachable`: 5 attempts in a row failed, and it still tries every
 * 30 s; `refused`: a connection rule of the server said no (4008), and it tries again after a
 * minute or more; every other reason waits for `reconnectNow()` (or, for `not_found`, for
 * nothing). `replaced`: the user opened a newer socket elsewhere (4009).
 */
export type OfflineReason = "not_found" | "unauthenticated" | "closed_by_server" | "unreachable" | "replaced" | "refused";

export type ConnectionStatus =
  | { state: "idle" }
  | { state: "connecting" }
  | { state: "live" }
  /** Waiting for, or making, reconnect attempt `attempt` (1-based). */
  | { state: "reconnecting"; attempt: number }
  /** `detail`: the server's close reason, when it gave one (4008 names the rule that refused). */
  | { state: "offline"; reason: OfflineReason; detail?: string }
  /** `close()` was called; terminal. */
  | { state: "closed" };

const offlineNotes: Partial<Record<OfflineReason, string>> = {
  unreachable: "Can't reach the server. Retrying every 30 seconds.",
  closed_by_server: "The server ended this connection.",
  replaced: "This conversation was opened in another tab or device. Reconnect here to continue in this tab.",
  refused: "The server refused the connection for now. Retrying in a minute.",
};

/**
 * The sentence shown beside an Offline badge (docs/protocol.md, close codes): null when there is
 * nothing to say or the screen says it elsewhere (not found, signed out).
 */
export function offlineNote(status: ConnectionStatus): string | null {
  if (status.state !== "offline") return null;
  const note = offlineNotes[status.reason] ?? null;
  if (status.reason === "refused" && status.detail) {
    return `The server refused the connection (${status.detail}). Retrying in a minute.`;
  }
  return note;
}
