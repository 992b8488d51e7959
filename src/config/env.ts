import type { z } from "zod";
import type { ConfigIssue } from "./config-error.ts";
import { type ConfigLeaf, configLeaves, envVarName, findNode, schemaDef, typeLabel } from "./fields.ts";
import { closestName } from "./suggest.ts";

/** Names the config file; not a setting itself. */
export const CONFIG_PATH_VARIABLE = "AGENTD_CONFIG";

/** One setting taken from the environment, already converted to the setting's type. */
export interface EnvOverride {
  leaf: ConfigLeaf;
  envVar: string;
  value: unknown;
}

/**
 * Reads every `AGENTD_*` variable (except AGENTD_CONFIG) as a setting and converts its text to the
 * setting's type. A variable that names no setting, or whose text cannot be converted, becomes an
 * issue with the variable as its source. An empty variable counts as unset, so that
 * `AGENTD_X=` in a compose file does not override the file.
 */
export function readEnvOverrides(env: Record<string, string | undefined>): {
  overrides: EnvOverride[];
  issues: ConfigIssue[];
} {
  const leavesByVariable = new Map(configLeaves().map((leaf) => [leaf.envVar, leaf]));
  const overrides: EnvOverride[] = [];
  const issues: ConfigIssue[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith("AGENTD_") || name === CONFIG_PATH_VARIABLE || raw === undefined || raw === "") continue;
    const leaf = leavesByVariable.get(name);
    if (!leaf) {
      issues.push(unknownVariableIssue(name, [...leavesByVariable.keys()]));
      continue;
    }
    const converted = convertEnvText(leaf.value, raw);
    if (converted.ok) overrides.push({ leaf, envVar: name, value: converted.value });
    else issues.push({ source: name, path: leaf.key, message: `${converted.reason}, got ${JSON.stringify(raw)}` });
  }
  return { overrides, issues };
}

function unknownVariableIssue(name: string, known: string[]): ConfigIssue {
  const path = name.slice("AGENTD_".length).toLowerCase().split("__");
  const node = findNode(path);
  if (node?.kind === "section") {
    const example = node.children.find((child) => child.kind === "leaf");
    const hint = example ? `, e.g. ${envVarName(example.path)}` : "";
    return { source: name, path: node.key, message: `names a group of keys, not a setting; set its keys one by one${hint}` };
  }
  const suggestion = closestName(name, known);
  const hint = suggestion ? ` (did you mean ${suggestion}?)` : "";
  return { source: name, path: path.join("."), message: `unknown key: no setting has this variable name${hint}` };
}

type Converted = { ok: true; value: unknown } | { ok: false; reason: string };

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN_TEXT: Record<string, boolean> = { true: true, false: false, "1": true, "0": false, yes: true, no: false, on: true, off: false };

/**
 * Converts environment text to the type a setting's schema expects: numbers, booleans, enum and
 * literal members, unions (the first member the text converts to and validates as), and lists
 * written as JSON (`["RS256","ES256"]`) or comma-separated (`RS256,ES256`). Range and format checks
 * are left to the one validation of the merged configuration.
 */
export function convertEnvText(schema: z.ZodType, raw: string): Converted {
  const def = schemaDef(schema);
  const text = raw.trim();
  const expected: Converted = { ok: false, reason: `expected ${typeLabel(schema)}` };
  switch (def.type) {
    case "optional":
    case "default":
    case "prefault":
    case "nullable":
      return def.innerType ? convertEnvText(def.innerType, raw) : { ok: true, value: raw };
    case "number":
      return NUMBER_TEXT.test(text) ? { ok: true, value: Number(text) } : expected;
    case "boolean": {
      const value = BOOLEAN_TEXT[text.toLowerCase()];
      return value === undefined ? expected : { ok: true, value };
    }
    case "enum":
      return { ok: true, value: text };
    case "literal": {
      const value = (def.values ?? []).find((candidate) => String(candidate) === text);
      return value === undefined ? expected : { ok: true, value };
    }
    case "union":
      return convertUnion(def.options ?? [], raw, expected);
    case "array":
      return convertList(def.element, raw);
    default:
      return { ok: true, value: raw };
  }
}

function convertUnion(options: z.ZodType[], raw: string, expected: Converted): Converted {
  let fallback: Converted = expected;
  for (const option of options) {
    const converted = convertEnvText(option, raw);
    if (!converted.ok) continue;
    if (option.safeParse(converted.value).success) return converted;
    // Keep the first conversion so validation can say what is wrong with it (e.g. out of range).
    if (!fallback.ok) fallback = converted;
  }
  return fallback;
}

function convertList(element: z.ZodType | undefined, raw: string): Converted {
  const text = raw.trim();
  if (text.startsWith("[")) {
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? { ok: true, value } : { ok: false, reason: "expected a JSON list" };
    } catch {
      return { ok: false, reason: "expected a JSON list such as [\"a\",\"b\"] or a comma-separated list" };
    }
  }
  const items = text.split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (!element) return { ok: true, value: items };
  const values: unknown[] = [];
  for (const [index, item] of items.entries()) {
    const converted = convertEnvText(element, item);
    if (!converted.ok) return { ok: false, reason: `item ${index + 1}: ${converted.reason}` };
    values.push(converted.value);
  }
  return { ok: true, value: values };
}

