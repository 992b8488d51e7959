import type { SecretRule } from "./secret-rule.ts";

/** Longest word held back while a configured pattern could still match it. */
const MAX_WORD_CHARS = 1024;

/**
 * A rule from configuration (`guard.output.patterns`): any regex, redacted as `[REDACTED:kind]`.
 * Nothing is known about where its matches start, so the unfinished last word is held back; a
 * pattern must therefore not match whitespace, and matches longer than 1024 characters are not
 * guaranteed across pieces.
 */
export function customRule(kind: string, source: string): SecretRule {
  return {
    kind,
    pattern: new RegExp(source, "g"),
    pending: new RegExp(String.raw`\S{1,${MAX_WORD_CHARS}}$`, "g"),
  };
}
