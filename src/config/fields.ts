import type { z } from "zod";
import { ConfigSchema, duration } from "./schema.ts";

/**
 * The configuration schema seen as a tree of sections and settings, read from ConfigSchema by
 * introspection so that env-var names, docs and the example file never need a hand-kept list.
 */

/** One setting: a key whose value is not itself a group of keys. */
export interface ConfigLeaf {
  kind: "leaf";
  /** Path segments, e.g. ["auth", "jwt_secret"]. */
  path: string[];
  /** Dotted path, e.g. "auth.jwt_secret". */
  key: string;
  /** e.g. "AGENTD_AUTH__JWT_SECRET". */
  envVar: string;
  /** The value's schema with optional/default wrappers removed. */
  value: z.ZodType;
  description?: string;
  /** True when the key may stay unset (optional and without a default). */
  optional: boolean;
}

/** A group of keys (a YAML mapping), e.g. `server` or `auth.external`. */
export interface ConfigSection {
  kind: "section";
  path: string[];
  key: string;
  description?: string;
  children: ConfigNode[];
  /** True for a whole section that may stay unset (e.g. llm.fallback). */
  optional?: boolean;
}

export type ConfigNode = ConfigLeaf | ConfigSection;

/** The parts of a zod 4 definition this module reads; zod's own typings are per schema kind. */
interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  /** String formats such as "url" live on the schema itself, not among its checks. */
  format?: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
}

interface CheckDef {
  check: string;
  format?: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  pattern?: RegExp;
}

const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "readonly"]);

/** The definition of a schema, in the structural view above. */
export function schemaDef(schema: z.ZodType): SchemaDef {
  return schema._zod.def as unknown as SchemaDef;
}

/** Strips optional/default/prefault wrappers; reports whether any of them made the key optional. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; description?: string } {
  let inner = schema;
  let optional = false;
  let description = schema.description;
  for (let def = schemaDef(inner); WRAPPERS.has(def.type) && def.innerType; def = schemaDef(inner)) {
    if (def.type === "optional") optional = true;
    if (def.type === "default" || def.type === "prefault") optional = false;
    inner = def.innerType;
    description ??= inner.description;
  }
  return { inner, optional, description };
}

/** `AGENTD_` + the path in capitals with `__` between levels. */
export function envVarName(path: readonly string[]): string {
  return `AGENTD_${path.map((segment) => segment.toUpperCase()).join("__")}`;
}

function buildNode(path: string[], schema: z.ZodType): ConfigNode {
  const { inner, optional, description } = unwrap(schema);
  const shape = schemaDef(inner).type === "object" ? schemaDef(inner).shape : undefined;
  const key = path.join(".");
  if (shape) {
    const children = Object.entries(shape).map(([name, child]) => buildNode([...path, name], child));
    return { kind: "section", path, key, description, children, ...(optional ? { optional } : {}) };
  }
  return { kind: "leaf", path, key, envVar: envVarName(path), value: inner, description, optional };
}

let cachedTree: ConfigSection | undefined;

/** The whole schema as a tree; the root section has an empty path. */
export function configTree(): ConfigSection {
  cachedTree ??= buildNode([], ConfigSchema) as ConfigSection;
  return cachedTree;
}

/** Every setting, in schema order. */
export function configLeaves(section: ConfigSection = configTree()): ConfigLeaf[] {
  return section.children.flatMap((child) => (child.kind === "leaf" ? [child] : configLeaves(child)));
}

/** The section or leaf at a dotted path ("" = the root), if the schema has one. */
export function findNode(path: readonly (string | number)[]): ConfigNode | undefined {
  let node: ConfigNode = configTree();
  for (const segment of path) {
    if (node.kind !== "section") return undefined;
    const next: ConfigNode | undefined = node.children.find((child) => child.path.at(-1) === segment);
    if (!next) return undefined;
    node = next;
  }
  return node;
}

/** The built-in defaults: what an empty file produces. */
export function configDefaults(): z.infer<typeof ConfigSchema> {
  return ConfigSchema.parse({});
}

/** The value at a path inside nested plain objects, or undefined. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const segment of path) {
    if (!isPlainObject(value)) return undefined;
    value = value[segment];
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const DURATION_PATTERN = schemaDef(duration()).checks?.find((check) => check._zod.def.pattern)?._zod.def.pattern?.source;

/**
 * A short noun phrase naming what a value must be, for docs and error messages:
 * `integer from 0 to 65535`, `one of: debug, info, warn, error`, `"auto" or integer from 0 to 256`.
 */
export function typeLabel(schema: z.ZodType): string {
  const def = schemaDef(unwrap(schema).inner);
  const checks = (def.checks ?? []).map((check) => check._zod.def);
  switch (def.type) {
    case "string":
      return def.format === "url" ? "URL (http or https)" : stringLabel(checks);
    case "number":
      return numberLabel(checks);
    case "boolean":
      return "true or false";
    case "enum":
      return `one of: ${Object.values(def.entries ?? {}).join(", ")}`;
    case "literal":
      return (def.values ?? []).map((value) => JSON.stringify(value)).join(" or ");
    case "union":
      return (def.options ?? []).map(typeLabel).join(" or ");
    case "array":
      return def.element ? `list; each item ${typeLabel(def.element)}` : "list";
    default:
      return def.type;
  }
}

function stringLabel(checks: CheckDef[]): string {
  if (checks.some((check) => check.pattern?.source === DURATION_PATTERN)) return "duration (30s, 15m, 1h, 7d)";
  const minimum = checks.find((check) => check.check === "min_length")?.minimum;
  return minimum === undefined ? "string" : `string of at least ${minimum} characters`;
}

function numberLabel(checks: CheckDef[]): string {
  const integer = checks.some((check) => check.check === "number_format" && /int/.test(check.format ?? ""));
  const noun = integer ? "integer" : "number";
  // For integers an exclusive bound is the next whole number; for other numbers it is said as such.
  let low: { value: number; inclusive: boolean } | undefined;
  let high: { value: number; inclusive: boolean } | undefined;
  for (const { check, value, inclusive = true } of checks) {
    if (value === undefined) continue;
    if (check === "greater_than") low = integer && !inclusive ? { value: value + 1, inclusive: true } : { value, inclusive };
    if (check === "less_than") high = integer && !inclusive ? { value: value - 1, inclusive: true } : { value, inclusive };
  }
  if (low?.inclusive && high?.inclusive) return `${noun} from ${low.value} to ${high.value}`;
  const parts = [
    low && `${low.inclusive ? "at least" : "greater than"} ${low.value}`,
    high && `${high.inclusive ? "at most" : "less than"} ${high.value}`,
  ].filter(Boolean);
  return parts.length === 0 ? noun : `${noun}, ${parts.join(" and ")}`;
}
