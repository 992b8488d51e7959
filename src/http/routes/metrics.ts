import { Hono } from "hono";
import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "../../errors.ts";

/** What serves a Prometheus scrape: the exposition text and its content type. */
export interface MetricsSource {
  scrape(): Promise<{ contentType: string; body: string }>;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** `GET /metrics`, behind `Authorization: Bearer <token>` when a token is configured. */
export function metricsRoutes(source: MetricsSource, token?: string) {
  const expected = token === undefined ? undefined : digest(token);
  return new Hono().get("/metrics", async (c) => {
    if (expected) {
      const header = c.req.header("authorization") ?? "";
      const given = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
      // Digests have one length, so the comparison takes the same time whatever was sent.
      if (!timingSafeEqual(digest(given), expected)) {
        throw new AppError("unauthorized", "/metrics needs the header Authorization: Bearer <metrics.token>.");
      }
    }
    const { contentType, body } = await source.scrape();
    return c.body(body, 200, { "content-type": contentType, "cache-control": "no-store" });
  });
}
