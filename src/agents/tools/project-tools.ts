import { tool, type StructuredToolInterface } from "@langchain/core/tools";
import type { ToolRunnableConfig } from "@langchain/core/tools";
import { interrupt } from "@langchain/langgraph";
import { z } from "zod";
import type { ProjectStore } from "../../storage/app-store.ts";
import { PROJECT_TYPES, type ProjectRecord } from "../../storage/types.ts";
import { confirmationRequest, type ConfirmationDecision } from "./confirmation.ts";

export interface ProjectToolDeps {
  projects: ProjectStore;
  /** Most projects one user may create per rolling hour (`limits.projects_per_hour`; 0 = no limit). */
  projectsPerHour: number;
  clock?: () => number;
}

const link = z.url({ protocol: /^https?$/ }).max(500);
const fields = {
  title: z.string().trim().min(1).max(120).describe("The project's title."),
  description: z.string().trim().min(1).max(2000).describe("What the project is, in a few sentences."),
  type: z.enum(PROJECT_TYPES).describe("The kind of project."),
  tags: z.array(z.string().trim().min(1).max(40)).max(12).describe("Short topic tags."),
  links: z.array(link).max(10).describe("http(s) links: repository, demo, paper."),
  showcase: z.boolean().describe("Feature it on the member's showcase page."),
};

const CreateProjectArgs = z.object({ ...fields, tags: fields.tags.default([]), links: fields.links.default([]), showcase: fields.showcase.default(false) });
const UpdateProjectArgs = z.object({
  project_id: z.string().min(1).describe("The id of one of the member's projects (from list_my_projects)."),
  ...Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, schema.optional()])),
});

/** The conversation's owner: every tool acts as them and only on their projects. */
function ownerOf(config: ToolRunnableConfig): string {
  const userId = config.configurable?.user_id;
  if (typeof userId !== "string") throw new Error("the tool ran without a conversation owner");
  return userId;
}

const describe = (project: ProjectRecord) =>
  JSON.stringify({ id: project.id, title: project.title, type: project.type, showcase: project.showcase, tags: project.tags, links: project.links });

/** The project agent's tools. Writes wait for the member's approval (a LangGraph interrupt that survives restarts). */
export function projectTools(deps: ProjectToolDeps): StructuredToolInterface[] {
  const clock = deps.clock ?? Date.now;

  const createProject = tool(
    async (args, config: ToolRunnableConfig) => {
      const ownerId = ownerOf(config);
      const decision = interrupt<ReturnType<typeof confirmationRequest>, ConfirmationDecision>(confirmationRequest(config, "create_project", args));
      if (!decision.approved) return `The member declined; no project was created.${decision.reason ? ` Their reason: ${decision.reason}` : ""}`;
      const since = new Date(clock() - 3_600_000);
      if (deps.projectsPerHour > 0 && (await deps.projects.countCreatedSince(ownerId, since)) >= deps.projectsPerHour) {
        throw new Error(`The member has created ${deps.projectsPerHour} projects in the last hour, the limit; nothing was created. They can try again later.`);
      }
      return `Created: ${describe(await deps.projects.create(ownerId, args))}`;
    },
    { name: "create_project", description: "Create a showcase project for the member (asks them to approve first).", schema: CreateProjectArgs },
  );

  const updateProject = tool(
    async ({ project_id, ...changes }, config: ToolRunnableConfig) => {
      const ownerId = ownerOf(config);
      if (!(await deps.projects.findOwned(ownerId, project_id))) throw new Error(`There is no project ${project_id} among the member's projects.`);
      const decision = interrupt<ReturnType<typeof confirmationRequest>, ConfirmationDecision>(
        confirmationRequest(config, "update_project", { project_id, ...changes }),
      );
      if (!decision.approved) return `The member declined; the project was not changed.${decision.reason ? ` Their reason: ${decision.reason}` : ""}`;
      const updated = await deps.projects.updateOwned(ownerId, project_id, changes);
      if (!updated) throw new Error(`There is no project ${project_id} among the member's projects.`);
      return `Updated: ${describe(updated)}`;
    },
    { name: "update_project", description: "Change fields of one of the member's projects (asks them to approve first).", schema: UpdateProjectArgs },
  );

  const listMyProjects = tool(
    async (_args, config: ToolRunnableConfig) => {
      const projects = await deps.projects.listOwned(ownerOf(config));
      return projects.length === 0 ? "The member has no projects yet." : `[${projects.map(describe).join(",")}]`;
    },
    { name: "list_my_projects", description: "List the member's projects, newest first.", schema: z.object({}) },
  );

  return [createProject, updateProject, listMyProjects];
}
