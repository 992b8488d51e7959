import { decodePayloads } from "./decode.ts";
import {
  GUARD_CATEGORIES,
  type GuardCategory,
  type GuardMatch,
  type InputGuard,
  type Severity,
  type Verdict,
} from "./input-guard.ts";
import { isMention, mentionContext } from "./mention.ts";
import { toScanText, type ScanText } from "./normalize.ts";
import { INPUT_PATTERNS, SIGNALS, type InputPattern, type InputSignal } from "./patterns/index.ts";
import { exceedsSpecialCharRatio } from "./special-chars.ts";

/** What a category's matches do: add to the score, block outright, sanitize, or nothing. */
export type CategoryAction = "score" | "block" | "sanitize" | "allow";

export interface RuleBasedGuardOptions {
  enabled: boolean;
  /** Largest share of special characters in the prose of a message (0..1). */
  maxSpecialCharRatio: number;
  /** A score at or above this blocks the message (0..1]. */
  blockThreshold: number;
  /** Per category; a category not listed scores. */
  actions: Partial<Record<GuardCategory, CategoryAction>>;
  patterns?: readonly InputPattern[];
  signals?: readonly InputSignal[];
}

/** How much one match of each severity weighs: one `high` reaches the default threshold alone. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { low: 0.25, medium: 0.5, high: 0.75, critical: 0.95 };
/** A rule that fired on a quoted or exemplified attack in a text about attacks ("mention") weighs this. */
export const MENTION_WEIGHT = 0.1;
const NON_ACCUMULATING = new Set<GuardCategory>(["harmful_request", "harmful_framing", "special_tokens"]);
const STRONGER: Record<Severity, Severity> = { low: "medium", medium: "high", high: "critical", critical: "critical" };
const SPECIAL_CHARACTERS_ID = "special_characters.ratio";

interface Hit extends GuardMatch {
  weight: number;
  pattern?: InputPattern;
}

/**
 * The rule-based input guard: regex patterns and counting signals (patterns/) over normalized
 * views of the text, decode-and-rescan of hidden payloads, the special-character ratio, and a
 * score that adds the evidence up (1 − Π(1 − weight) over the distinct rules that fired).
 */
export class RuleBasedInputGuard implements InputGuard {
  private readonly patterns: readonly InputPattern[];
  private readonly signals: readonly InputSignal[];

  constructor(private readonly options: RuleBasedGuardOptions) {
    this.patterns = options.patterns ?? INPUT_PATTERNS;
    this.signals = options.signals ?? SIGNALS;
  }

  inspect(text: string): Verdict {
    if (!this.options.enabled) return { action: "allow", category: null, score: 0, text, matches: [] };
    const scan = toScanText(text);
    const hits = this.scan(scan, undefined);
    for (const signal of this.signals) if (signal.fires(scan)) hits.push(hit(signal.id, signal.category, signal.severity));
    const payloads = decodePayloads(scan.base);
    if (scan.smuggled) payloads.push({ via: "tags", text: scan.smuggled });
    for (const payload of payloads) hits.push(...this.scan(toScanText(payload.text), payload.via));
    if (exceedsSpecialCharRatio(scan.base, this.options.maxSpecialCharRatio)) {
      hits.push(hit(SPECIAL_CHARACTERS_ID, "special_characters", "medium"));
    }
    return this.decide(text, scan, hits.filter((h) => this.actionOf(h.category) !== "allow"));
  }

  private scan(scan: ScanText, via: string | undefined): Hit[] {
    const hits: Hit[] = [];
    const mentions = via ? undefined : mentionContext(scan.view);
    for (const rule of this.patterns) {
      const target = rule.on === "base" ? scan.base : scan.view;
      const match = rule.regex.exec(target);
      if (!match) continue;
      if (!via && rule.on !== "base" && mentions && isMention(mentions, target, match.index, rule.category)) {
        hits.push({ ...hit(rule.id, rule.category, "low"), weight: MENTION_WEIGHT, pattern: rule });
        continue;
      }
      const severity = via ? STRONGER[rule.severity] : rule.severity;
      hits.push({ ...hit(rule.id, rule.category, severity), ...(via ? { via } : {}), pattern: rule });
    }
    return hits;
  }

  private decide(text: string, scan: ScanText, hits: Hit[]): Verdict {
    const strongest = new Map<string, Hit>();
    for (const h of hits) {
      const key = h.via ? `${h.via}:${h.patternId}` : h.patternId;
      if ((strongest.get(key)?.weight ?? -1) < h.weight) strongest.set(key, h);
    }
    const unique = [...strongest.values()].sort(
      (a, b) => b.weight - a.weight || GUARD_CATEGORIES.indexOf(a.category) - GUARD_CATEGORIES.indexOf(b.category),
    );
    const score = combine(unique);
    const matches = unique.map(({ patternId, category, severity, via }) => ({ patternId, category, severity, ...(via ? { via } : {}) }));
    const blocking = unique.find((h) => this.actionOf(h.category) === "block");
    if (blocking || (unique.length > 0 && score >= this.options.blockThreshold)) {
      const decisive = blocking ?? unique[0]!;
      return { action: "block", category: decisive.via ? "encoding" : decisive.category, score, text, matches };
    }
    const toSanitize = unique.filter((h) => !h.via && h.pattern?.sanitize && this.actionOf(h.category) === "sanitize");
    if (toSanitize.length > 0) {
      const sanitized = sanitize(scan.base, toSanitize.map((h) => h.pattern!));
      if (sanitized.trim() === "") return { action: "block", category: toSanitize[0]!.category, score, text, matches };
      return { action: "sanitize", category: toSanitize[0]!.category, score, text: sanitized, matches };
    }
    return { action: "allow", category: null, score, text, matches };
  }

  private actionOf(category: GuardCategory): CategoryAction {
    return this.options.actions[category] ?? "score";
  }
}

/** Strips special tokens and escapes system markers (each pattern says which) in `text`. */
export function sanitize(text: string, patterns: readonly InputPattern[]): string {
  let result = text;
  for (const rule of patterns) {
    const global = new RegExp(rule.regex.source, rule.regex.flags.includes("g") ? rule.regex.flags : `${rule.regex.flags}g`);
    result = result.replace(global, (found) => {
      if (rule.sanitize === "strip") return "";
      const start = found.search(/\S/);
      return start < 0 || found[start] === "\\" ? found : `${found.slice(0, start)}\\${found.slice(start)}`;
    });
  }
  return result.replace(/[ \t]{2,}/g, " ").trim();
}

function hit(patternId: string, category: GuardCategory, severity: Severity): Hit {
  return { patternId, category, severity, weight: SEVERITY_WEIGHT[severity] };
}

/**
 * 1 − Π(1 − weight) over the rules that fired, except that the rules of a non-accumulating
 * category (harmful requests, framing, special tokens) count once, with their strongest weight:
 * two mentions of a harmful subject, a story frame, or a pasted chat template do not block alone;
 * together with another category they do.
 */
function combine(hits: readonly Hit[]): number {
  const perCategory = new Map<GuardCategory, number>();
  for (const h of hits) {
    const before = perCategory.get(h.category) ?? 0;
    perCategory.set(h.category, NON_ACCUMULATING.has(h.category) ? Math.max(before, h.weight) : 1 - (1 - before) * (1 - h.weight));
  }
  let left = 1;
  for (const weight of perCategory.values()) left *= 1 - weight;
  return round(1 - left);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
