const ALLOWED = new Set(["http:", "https:", "mailto:"]);

/**
 * The URL a link in model text may point to: an absolute http, https or mailto URL, normalised.
 * Anything else (javascript:, data:, vbscript:, relative paths, garbage) is null and the link is
 * shown as plain text.
 */
export function safeHref(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  return ALLOWED.has(url.protocol) ? url.href : null;
}
