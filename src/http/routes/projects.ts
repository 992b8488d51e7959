import { Hono } from "hono";
import { AppError } from "../../errors.ts";
import type { Project } from "../../protocol/index.ts";
import type { ProjectRecord } from "../../storage/types.ts";
import type { HttpDeps, HttpEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";

const toWire = ({ ownerId: _owner, ...project }: ProjectRecord): Project => project;

/** The caller's projects (created by the project agent). Another user's project answers 404. */
export function projectRoutes(deps: HttpDeps) {
  return new Hono<HttpEnv>()
    .use("*", requireUser(deps))
    .get("/", async (c) => c.json({ projects: (await deps.projects.listOwned(c.get("user").id)).map(toWire) }))
    .get("/:id", async (c) => {
      const project = await deps.projects.findOwned(c.get("user").id, c.req.param("id"));
      if (!project) throw new AppError("not_found", "That project does not exist.");
      return c.json(toWire(project));
    });
}
