import { isIP } from "node:net";
import { z } from "zod";

/** The value types the configuration schema (schema.ts) is built of. */

const DURATION = /^(\d+)(ms|s|m|h|d)$/;

/** A duration such as `90s`, `15m`, `1h`, `7d`. */
export const duration = () =>
  z.string().regex(DURATION, "expected a duration such as 30s, 15m, 1h or 7d");

/** Milliseconds in a duration string accepted by `duration()`. */
export function durationMs(value: string): number {
  const match = DURATION.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

export const port = z.number().int().min(0).max(65535);

/** An IP address or a CIDR block: `10.0.0.0/8`, `192.168.1.7`, `fd00::/8`. */
export const cidr = () =>
  z.string().refine((value) => {
    const [address, prefix, ...rest] = value.split("/");
    const family = isIP(address ?? "");
    if (!family || rest.length > 0) return false;
    if (prefix === undefined) return true;
    const bits = Number(prefix);
    return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
  }, "expected an IP address or a CIDR block such as 10.0.0.0/8");

/** A rate rule's count; 0 turns the rule off. */
export const perWindow = (fallback: number) => z.number().int().min(0).default(fallback);

/**
 * An http(s) URL. Plain `z.url()` accepts any scheme, so a typo such as `localhost:11434/v1`
 * (scheme "localhost:") would pass validation and only fail at the first request.
 */
export const httpUrl = () => z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" });
