import { Hono } from "hono";
import { CreateConversationRequest, RenameConversationRequest } from "../../protocol/index.ts";
import { parseBody } from "../body.ts";
import type { HttpDeps, HttpEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";

/** The caller's conversations. Another user's conversation answers 404, like a missing one. */
export function conversationRoutes(deps: HttpDeps) {
  const conversations = deps.conversations;
  return new Hono<HttpEnv>()
    .use("*", requireUser(deps))
    .post("/", async (c) => c.json(await conversations.create(c.get("user").id, await parseBody(c, CreateConversationRequest)), 201))
    .get("/", async (c) => c.json(await conversations.list(c.get("user").id, c.req.query("cursor") || undefined)))
    .get("/:id", async (c) => c.json(await conversations.get(c.get("user").id, c.req.param("id"))))
    .patch("/:id", async (c) => {
      const { title } = await parseBody(c, RenameConversationRequest);
      return c.json(await conversations.rename(c.get("user").id, c.req.param("id"), title));
    })
    .delete("/:id", async (c) => {
      await conversations.delete(c.get("user").id, c.req.param("id"));
      return c.body(null, 204);
    });
}
