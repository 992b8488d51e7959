/**
 * `ws:`/`wss:` URL of a conversation's socket: under `base` (`ui.websocket_url`) when the server
 * names one, else on the page's own host. A socket to another host gets no cookie, so it carries
 * the access token as `?token=` (when there is none yet, the server's 4001 leads to a refresh,
 * which provides one).
 */
export function chatSocketUrl(
  location: Pick<Location, "protocol" | "host">,
  conversationId: string,
  base?: string,
  token?: string | null,
): string {
  const path = `/ws/chat/${encodeURIComponent(conversationId)}`;
  if (!base) return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}`;
  const url = new URL(base.replace(/\/+$/, "") + path);
  if (url.host !== location.host && token) url.searchParams.set("token", token);
  return url.href;
}
