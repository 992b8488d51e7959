/**
 * The input guard: inspects a user's message before it is accepted and decides whether it goes
 * to the model as it is, sanitized, or not at all. One interface; the rule-based implementation
 * (`rule-based.ts`) lives beside it.
 */

/** The families of attack the guard knows; every pattern belongs to one. */
export const GUARD_CATEGORIES = [
  "instruction_override",
  "role_manipulation",
  "special_tokens",
  "jailbreak_persona",
  "prompt_extraction",
  "tool_injection",
  "encoding",
  "special_characters",
  "refusal_suppression",
  "harmful_framing",
  "harmful_request",
  "adversarial_suffix",
] as const;

export type GuardCategory = (typeof GUARD_CATEGORIES)[number];

export type GuardAction = "allow" | "sanitize" | "block";

/** How much one match counts towards the score (see `SEVERITY_WEIGHT`). */
export type Severity = "low" | "medium" | "high" | "critical";

export interface GuardMatch {
  patternId: string;
  category: GuardCategory;
  severity: Severity;
  /** Set when the match was found inside decoded content (base64, hex, rot13, …). */
  via?: string;
}

export interface Verdict {
  action: GuardAction;
  /** The category behind a block or a sanitize; null when the message is allowed. */
  category: GuardCategory | null;
  /** 0..1: how strongly the matches together point at an attack. */
  score: number;
  /** The text to pass on: the input unchanged, or its sanitized form when `action` is sanitize. */
  text: string;
  /** Every pattern that fired, strongest first. */
  matches: GuardMatch[];
}

export interface InputGuard {
  /**
   * Inspects one user message. Pure and synchronous (it runs on the socket thread for every
   * message, so it must stay cheap); never throws for any string.
   */
  inspect(text: string): Verdict;
}
