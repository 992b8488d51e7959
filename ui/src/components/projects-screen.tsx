import type { Project } from "../../../src/protocol/index.ts";
import type { ProjectsModel } from "../models/projects.ts";
import { ProjectFields } from "./project-fields.tsx";

const created = (project: Project) => {
  const date = new Date(project.createdAt);
  return Number.isNaN(date.getTime()) ? project.createdAt : date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
};

function ProjectCard({ project }: { project: Project }) {
  const { title, description, type, tags, links } = project;
  return (
    <li class="project-card" data-testid="project-item" data-project-id={project.id}>
      <header class="project-card-header">
        <h3 class="project-card-title" data-testid="project-title">
          {title}
        </h3>
        {project.showcase && <span class="badge badge--quiet">Showcase</span>}
      </header>
      <ProjectFields fields={{ description, type, tags, links }} />
      <p class="muted project-card-date">Created {created(project)}</p>
    </li>
  );
}

/** The user's projects (made by the project agent), newest first. */
export function ProjectsScreen({ projects, onNewProject }: { projects: ProjectsModel; onNewProject?: () => void }) {
  const items = projects.items.value;
  const loading = projects.loading.value;
  const error = projects.error.value;
  return (
    <section class="projects" aria-labelledby="projects-title" data-testid="projects-screen">
      <header class="projects-header">
        <h2 id="projects-title" class="chat-title">
          Your projects
        </h2>
        <button type="button" class="button button--ghost button--small" disabled={loading} onClick={() => void projects.load()} data-testid="projects-reload">
          {loading ? "Loading…" : "Reload"}
        </button>
      </header>
      {error && (
        <p class="form-error" role="alert" data-testid="projects-error">
          Could not load your projects. {error}
        </p>
      )}
      {!loading && !error && items.length === 0 && (
        <div class="projects-empty" data-testid="projects-empty">
          <p class="muted">No projects yet. The project agent creates them with you in a conversation.</p>
          {onNewProject && (
            <button type="button" class="button button--primary" onClick={onNewProject} data-testid="projects-start">
              Start a project conversation
            </button>
          )}
        </div>
      )}
      <ul class="project-list" data-testid="project-list">
        {items.map((project) => (
          <ProjectCard key={project.id} project={project} />
        ))}
      </ul>
    </section>
  );
}
