import type { z } from "zod";
import type { ConfigIssue } from "./config-error.ts";
import { findNode, typeLabel, valueAt } from "./fields.ts";
import { type Config, ConfigSchema } from "./schema.ts";
import { closestName } from "./suggest.ts";

/** Which source (file, environment variable, defaults) supplied the value at a key path. */
export type SourceOf = (path: readonly PropertyKey[]) => string;

export type ValidationResult = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

/**
 * Validates merged configuration input against ConfigSchema, translating every zod issue into a
 * one-line ConfigIssue that names the key path; an unknown key becomes `<path>: unknown key`.
 */
export function validateConfig(input: unknown, sourceOf: SourceOf): ValidationResult {
  const result = ConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, issues: result.error.issues.flatMap((issue) => translateIssue(issue, input, sourceOf)) };
}

/** `server.port`, `auth.external.algorithms[1]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += (text ? "." : "") + String(segment);
  }
  return text;
}

/** `unknown key`, with a hint when a sibling key is spelt almost the same. */
export function unknownKeyMessage(parentPath: readonly PropertyKey[], key: string): string {
  const parent = findNode(parentPath.map(String));
  const siblings = parent?.kind === "section" ? parent.children.map((child) => child.path.at(-1) ?? "") : [];
  const suggestion = closestName(key, siblings);
  return suggestion ? `unknown key (did you mean ${formatKeyPath([...parentPath, suggestion])}?)` : "unknown key";
}

function translateIssue(issue: z.core.$ZodIssue, input: unknown, sourceOf: SourceOf): ConfigIssue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return { source: sourceOf(path), path: formatKeyPath(path), message: unknownKeyMessage(issue.path, key) };
    });
  }
  return [{ source: sourceOf(issue.path), path: formatKeyPath(issue.path) || "(top level)", message: reason(issue, input) }];
}

function reason(issue: z.core.$ZodIssue, input: unknown): string {
  const node = issue.path.every((segment) => typeof segment === "string") ? findNode(issue.path as string[]) : undefined;
  // zod says only "Invalid input" when no member of a union matched; the schema can say more.
  if (issue.code === "invalid_union" && node?.kind === "leaf") return `expected ${typeLabel(node.value)}`;
  if (issue.code === "invalid_type" && node?.kind === "section") return "expected a mapping of keys";
  // zod's "Too big: expected number to be <=65535" becomes "expected integer from 0 to 65535, got 99999".
  const outOfRange = (issue.code === "too_big" || issue.code === "too_small") && issue.origin === "number";
  if (outOfRange && node?.kind === "leaf") return `expected ${typeLabel(node.value)}, got ${JSON.stringify(valueAt(input, node.path))}`;
  return issue.message.replace(/^Invalid (input|option): /, "");
}
