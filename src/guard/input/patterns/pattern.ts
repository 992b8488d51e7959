import type { GuardCategory, Severity } from "../input-guard.ts";

/** One detection rule, as data. */
export interface InputPattern {
  /** Stable, `category-prefix.name`; appears in verdicts, reports and logs. */
  id: string;
  category: GuardCategory;
  severity: Severity;
  /**
   * Matched against the scan view (NFKC, invisible characters removed, look-alikes folded,
   * lower-cased, spaces collapsed) unless `on` is "base" (NFKC, case and spacing kept).
   * Write view patterns in lower case.
   */
  regex: RegExp;
  on?: "view" | "base";
  /** For special tokens: what sanitizing does with a match (strip it, or escape it with a backslash). */
  sanitize?: "strip" | "escape";
}

/** Shorthand for the pattern tables. */
export function pattern(
  id: string,
  category: GuardCategory,
  severity: Severity,
  regex: RegExp,
  extra: Pick<InputPattern, "on" | "sanitize"> = {},
): InputPattern {
  return { id, category, severity, regex, ...extra };
}
