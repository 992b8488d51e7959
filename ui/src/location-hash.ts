// The open conversation lives in the URL fragment (`#/c/<id>`) so that a reload comes back to it;
// `#/projects` is the projects screen.
// The server serves the page at `/` only, so the fragment is the one part of the URL the UI owns.

const prefix = "#/c/";

/** The conversation id in a `location.hash`, or null. */
export function conversationIdFromHash(hash: string): string | null {
  if (!hash.startsWith(prefix) || hash.length === prefix.length) return null;
  try {
    return decodeURIComponent(hash.slice(prefix.length));
  } catch {
    return null;
  }
}

/** The `location.hash` that names a conversation ("" for none). */
export function hashForConversation(id: string | null): string {
  return id === null ? "" : `${prefix}${encodeURIComponent(id)}`;
}

/** The `location.hash` of the projects screen. */
export const PROJECTS_HASH = "#/projects";
