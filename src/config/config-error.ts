/** One thing wrong with the configuration, named by where it came from and which key it is about. */
export interface ConfigIssue {
  /** The file path, the environment variable (e.g. `AGENTD_SERVER__PORT`) or `defaults`. */
  source: string;
  /** Dotted key path (`server.port`, `auth.external.algorithms[1]`), a YAML position, or "" for the whole source. */
  path: string;
  /** One line, no trailing period required. */
  message: string;
}

/** `<source>: <path>: <reason>`, or `<source>: <reason>` when the issue is about the whole source. */
export function formatConfigIssue(issue: ConfigIssue): string {
  return issue.path ? `${issue.source}: ${issue.path}: ${issue.message}` : `${issue.source}: ${issue.message}`;
}

/**
 * The configuration could not be loaded. `issues` lists every problem found (not just the first);
 * `message` is one formatted line per issue. Startup should print it and exit with status 2.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  /** The file that was read, or `defaults` when there was none. */
  readonly source: string;

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(issues.map(formatConfigIssue).join("\n"));
    this.name = "ConfigError";
    this.source = source;
    this.issues = issues;
  }
}
