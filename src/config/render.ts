import { stringify } from "yaml";
import { type ConfigLeaf, type ConfigSection, configDefaults, configTree, typeLabel, valueAt } from "./fields.ts";

/**
 * The configuration documented from the schema: the YAML that `agentd config defaults` prints (and
 * config/agentd.example.yaml holds) and the Markdown of docs/configuration.md.
 * `bun scripts/gen-config-docs.ts` rewrites both files; tests fail when they are stale.
 */

const COMMENT_WIDTH = 100;

const YAML_HEADER = `agentd configuration: every key with its built-in default.

This text comes from the schema in src/config/schema.ts; \`agentd config defaults\` prints it.

agentd reads the file named by --config, else $AGENTD_CONFIG, else ./config/agentd.yaml if it
exists, else runs on these defaults. Keep only the keys you change: a key left out, commented out
or left empty keeps its default, and an unknown key is an error.

Any key can also be set from the environment as AGENTD_ + its path in capitals with __ between
levels (AGENTD_SERVER__PORT=9000); the environment wins over the file. Lists take JSON or
comma-separated text. Check a file with: agentd config check --config FILE`;

/**
 * Every key of the configuration as YAML: each key's description as a comment above it, then its
 * type and environment variable; optional keys without a default are shown commented out
 * (`# jwt_secret:`). Parsing the result gives exactly the built-in defaults.
 */
export function renderDefaultsYaml(): string {
  const lines = YAML_HEADER.split("\n").map((line) => `# ${line}`.trimEnd());
  renderChildren(configTree(), "", configDefaults(), lines);
  return `${lines.join("\n")}\n`;
}

/** `unset`: the section is optional and not set by default, so even its headers are commented out. */
function renderChildren(section: ConfigSection, indent: string, defaults: unknown, lines: string[], unset = false): void {
  for (const [index, child] of section.children.entries()) {
    // A blank line between keys, but none right under a section's own name.
    if (index > 0 || section.path.length === 0) lines.push("");
    lines.push(...commentLines(child.description, indent));
    const name = child.path.at(-1) ?? "";
    if (child.kind === "section") {
      // An optional section unset by default: writing its name would set it (to an empty section).
      const commented = unset || (child.optional === true && valueAt(defaults, child.path) === undefined);
      lines.push(`${indent}${commented ? "# " : ""}${name}:`);
      renderChildren(child, `${indent}  `, defaults, lines, commented);
      continue;
    }
    lines.push(...typeAndVariableLines(child, indent));
    const value = valueAt(defaults, child.path);
    lines.push(value === undefined ? `${indent}# ${name}:` : `${indent}${name}: ${yamlScalar(value)}`);
  }
}

/** A value as it would appear after `key: ` in YAML, lists in flow style (`[RS256, ES256]`). */
function yamlScalar(value: unknown): string {
  return stringify(value, { collectionStyle: "flow", flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

/** `# Integer from 0 to 65535. Env: AGENTD_SERVER__PORT`, on two lines when one would be too long. */
function typeAndVariableLines(leaf: ConfigLeaf, indent: string): string[] {
  const type = `${capitalize(typeLabel(leaf.value))}.`;
  const variable = `Env: ${leaf.envVar}`;
  if (indent.length + 2 + type.length + 1 + variable.length <= COMMENT_WIDTH) return [`${indent}# ${type} ${variable}`];
  return [...commentLines(type, indent), `${indent}# ${variable}`];
}

function commentLines(text: string | undefined, indent: string): string[] {
  if (!text) return [];
  return wrap(text, COMMENT_WIDTH - indent.length - 2).map((line) => `${indent}# ${line}`);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const MARKDOWN_INTRO = `# Configuration

<!-- Generated from src/config/schema.ts by \`bun scripts/gen-config-docs.ts\`; do not edit by hand. -->

agentd reads one YAML file at startup, validates it once and refuses to start (exit status 2) when
anything is wrong, naming each bad key. [config/agentd.example.yaml](../config/agentd.example.yaml)
lists every key with its default and description; \`agentd config defaults\` prints the same text.

## Where settings come from

Highest precedence first:

1. **Environment variables** \`AGENTD_\` + the key path in capitals with \`__\` between levels:
   \`AGENTD_SERVER__PORT=9000\`, \`AGENTD_AUTH__JWT_SECRET=...\`, \`AGENTD_DATA_DIR=/var/lib/agentd\`.
   Numbers, booleans and enums are converted from text; lists take JSON (\`["RS256","ES256"]\`) or
   comma-separated text (\`RS256,ES256\`). An empty variable counts as unset. An \`AGENTD_\` variable
   that names no key is an error (\`AGENTD_CONFIG\` excepted).
2. **The config file**: the one named by \`--config PATH\`, else by \`AGENTD_CONFIG\`, else
   \`./config/agentd.yaml\` if it exists. A named file that does not exist is an error. A key left
   empty (\`key:\`) counts as unset; an unknown key is an error.
3. **Built-in defaults**, listed below.

\`OPENAI_API_KEY\` (provider \`openai\`) or \`AZURE_OPENAI_API_KEY\` (provider \`azure\`) supplies
\`llm.api_key\` only when neither the file nor \`AGENTD_LLM__API_KEY\` sets it.

## Checking a configuration

\`agentd config check [--config FILE]\` loads the configuration exactly as \`agentd serve\` would and
prints \`ok: <file>\` (exit status 0), or every problem on its own line as \`<source>: <key>: <reason>\`
(exit status 2), where the source is the file or the environment variable that gave the value:

\`\`\`
/etc/agentd/agentd.yaml: server.bogus: unknown key
/etc/agentd/agentd.yaml: auth.jwt_secret: must be at least 32 bytes
AGENTD_SERVER__PORT: server.port: expected integer from 0 to 65535, got "x"
\`\`\`

## Keys`;

/**
 * docs/configuration.md: how configuration is found and overridden, then one table per section
 * with each key's environment variable, type, default and description.
 */
export function renderConfigMarkdown(): string {
  const defaults = configDefaults();
  const parts = [MARKDOWN_INTRO];
  const root = configTree();
  const topLevelLeaves = leavesOf(root);
  if (topLevelLeaves.length > 0) parts.push("### Top-level keys", keyTable(topLevelLeaves, defaults));
  for (const section of sectionsIn(root)) {
    const leaves = leavesOf(section);
    const heading = [`### \`${section.key}\``];
    if (section.description) heading.push(section.description);
    parts.push(heading.join("\n\n"));
    if (leaves.length > 0) parts.push(keyTable(leaves, defaults));
  }
  return `${parts.join("\n\n")}\n`;
}

/** Every section below the root, depth first in schema order. */
function sectionsIn(section: ConfigSection): ConfigSection[] {
  return section.children
    .filter((child): child is ConfigSection => child.kind === "section")
    .flatMap((child) => [child, ...sectionsIn(child)]);
}

/** The settings directly in a section, not those of its subsections. */
function leavesOf(section: ConfigSection): ConfigLeaf[] {
  return section.children.filter((child): child is ConfigLeaf => child.kind === "leaf");
}

function keyTable(leaves: ConfigLeaf[], defaults: unknown): string {
  const rows = leaves.map((leaf) => {
    const value = valueAt(defaults, leaf.path);
    const shownDefault = value === undefined ? "*unset*" : `\`${yamlScalar(value)}\``;
    const cells = [`\`${leaf.key}\``, `\`${leaf.envVar}\``, typeLabel(leaf.value), shownDefault, leaf.description ?? ""];
    return `| ${cells.map(tableCell).join(" | ")} |`;
  });
  return ["| Key | Env var | Type | Default | Description |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}

function tableCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
