import { safeHref } from "../markdown/safe-url.ts";

/** The fields of a project (or of a tool call's arguments) in the order people read them. */
const ORDER = ["title", "description", "type", "tags", "links", "showcase"];
const LABELS: Record<string, string> = {
  title: "Title",
  description: "Description",
  type: "Type",
  tags: "Tags",
  links: "Links",
  showcase: "Showcase",
  project_id: "Project",
};

/** A link from model or user data: only http(s)/mailto, in a new tab, no opener; anything else as text. */
export function ExternalLink({ href }: { href: string }) {
  const safe = safeHref(href);
  if (!safe) return <span>{href}</span>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer nofollow">
      {href}
    </a>
  );
}

function Value({ name, value }: { name: string; value: unknown }) {
  if (name === "links" && Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    return (
      <ul class="field-links">
        {value.map((link, index) => (
          <li key={index}>
            <ExternalLink href={String(link)} />
          </li>
        ))}
      </ul>
    );
  }
  if (name === "tags" && Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    return (
      <span class="tag-list">
        {value.map((tag, index) => (
          <span key={index} class="tag">
            {String(tag)}
          </span>
        ))}
      </span>
    );
  }
  if (typeof value === "boolean") return <span>{value ? "Yes" : "No"}</span>;
  if (typeof value === "string" || typeof value === "number") return <span class="field-text">{String(value)}</span>;
  return <code class="field-json">{JSON.stringify(value)}</code>;
}

/**
 * The fields as a definition list: the known project fields first and labelled, then any others
 * under their own names. Every value is text (or a safe link), never markup.
 */
export function ProjectFields({ fields, testId }: { fields: Record<string, unknown>; testId?: string }) {
  const names = [...ORDER.filter((name) => name in fields), ...Object.keys(fields).filter((name) => !ORDER.includes(name))];
  return (
    <dl class="project-fields" data-testid={testId}>
      {names.map((name) => (
        <div key={name} class="project-field" data-field={name}>
          <dt>{LABELS[name] ?? name}</dt>
          <dd>
            <Value name={name} value={fields[name]} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
