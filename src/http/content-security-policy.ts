/**
 * The page's Content-Security-Policy: scripts, styles, images and fonts from its own origin only (the
 * UI has no inline script or style), sockets to its own origin or to `websocketUrl`'s, no plugins,
 * no framing, no `<base>` rewriting. Model text never becomes markup, and this is the second wall.
 */
export function contentSecurityPolicy(websocketUrl?: string): string {
  const connect = ["'self'"];
  if (websocketUrl) connect.push(new URL(websocketUrl).origin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(" ")}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
