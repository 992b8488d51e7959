import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "../errors.ts";

/** Parses the JSON body with `schema`; throws AppError `bad_request` naming the first bad field. */
export async function parseBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new AppError("bad_request", "The request body must be JSON.");
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new AppError("bad_request", `${where}${issue?.message ?? "invalid body"}`);
  }
  return result.data;
}
