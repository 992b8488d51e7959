/**
 * One kind of secret the output guard finds. Rules are data: a pattern for a complete secret and a
 * `pending` pattern for a tail that more text could still turn into one.
 */
export interface SecretRule {
  /** Names the secret in the marker: `[REDACTED:kind]`. Lowercase letters, digits and `_`. */
  readonly kind: string;
  /** Finds complete secrets. Global flag. Lookbehinds may look back at most `CONTEXT_CHARS`. */
  readonly pattern: RegExp;
  /**
   * Global, anchored with `$`: matches from the leftmost place where more text could still
   * complete, extend or change a match of `pattern`. It may match more than that (text is only
   * shown a little later) but never less (a secret split over two pieces would leak).
   */
  readonly pending: RegExp;
  /**
   * What a complete match becomes, or null to leave it alone (a near miss). `after` is the
   * character after the match, "" at the end of the text. Default: the marker.
   */
  readonly replace?: (match: RegExpExecArray, after: string) => string | null;
  /**
   * A block secret (a PEM key): the match opens it, and everything after it up to and including
   * the first match of `until` (or to the end of the message) goes too. Global flag; a match of it
   * is at most `BLOCK_END_MAX_CHARS` long.
   */
  readonly until?: RegExp;
}

/** How far back the lookbehinds of a rule may look. */
export const CONTEXT_CHARS = 80;
/** Longest match of a rule's `until`. */
export const BLOCK_END_MAX_CHARS = 128;

/**
 * Regex source matching every non-empty prefix of a sequence of steps: `a(?:b(?:c)?)?`. A step is
 * one regex atom (a character, a class, a class with a quantifier).
 */
export function prefixesOf(steps: readonly string[]): string {
  return steps.reduceRight((inner, step) => (inner ? `${step}(?:${inner})?` : step), "");
}

/** The steps of a literal text, one character each, escaped. */
export function literalSteps(text: string): string[] {
  return [...text].map(escapeRegExp);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
