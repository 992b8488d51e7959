import { redactionMarker, type OutputRedactor } from "./output-redactor.ts";
import { BLOCK_END_MAX_CHARS, CONTEXT_CHARS, type SecretRule } from "./secret-rule.ts";

interface Found {
  start: number;
  end: number;
  text: string;
  rule: SecretRule;
}

/**
 * The output guard's redactor: finds secrets with a list of `SecretRule`s on the text not shown
 * yet. On each push it shows everything before the leftmost place where a rule's `pending`
 * pattern says a secret could still be forming; `end` flushes the rest. The result never depends
 * on how the text was split: `push(a) + push(b) + end()` equals `push(a + b) + end()`.
 */
export class PatternRedactor implements OutputRedactor {
  /** Text received but not shown yet. */
  private held = "";
  /** The raw text just before `held`, for the rules' lookbehinds. */
  private context = "";
  /** Inside a block secret: the pattern that ends it. */
  private blockEnd: RegExp | undefined;
  private readonly tally: Record<string, number> = {};

  constructor(private readonly rules: readonly SecretRule[]) {}

  get counts(): Readonly<Record<string, number>> {
    return this.tally;
  }

  push(text: string): string {
    this.held += text;
    return this.drain(false);
  }

  end(): string {
    const rest = this.drain(true);
    this.held = "";
    this.context = "";
    return rest;
  }

  private drain(final: boolean): string {
    let shown = "";
    for (;;) {
      if (this.blockEnd && !this.skipBlock(final)) return shown;
      shown += this.scan(final);
      if (!this.blockEnd) return shown;
    }
  }

  /** Shows what is decided of `held`; stops early after opening a block secret. */
  private scan(final: boolean): string {
    const source = this.context + this.held;
    const base = this.context.length;
    let stop = final ? source.length : this.pendingStart(source, base);
    const found = this.findAll(source, base, stop);
    let shown = "";
    let cursor = base;
    for (const match of found) {
      if (match.start < cursor) continue; // overlaps a secret already taken
      // A secret that is not complete yet, or that the next character could still extend.
      if (match.end > stop || (!final && match.end === source.length)) {
        stop = Math.min(stop, match.start);
        break;
      }
      shown += source.slice(cursor, match.start) + match.text;
      cursor = match.end;
      this.tally[match.rule.kind] = (this.tally[match.rule.kind] ?? 0) + 1;
      if (match.rule.until) {
        this.blockEnd = match.rule.until;
        this.context = "";
        this.held = source.slice(cursor);
        return shown;
      }
    }
    shown += source.slice(cursor, stop);
    this.context = source.slice(Math.max(0, stop - CONTEXT_CHARS), stop);
    this.held = source.slice(stop);
    return shown;
  }

  /** The leftmost index at or after `base` where a secret could still be forming. */
  private pendingStart(source: string, base: number): number {
    let stop = source.length;
    for (const rule of this.rules) {
      rule.pending.lastIndex = base;
      const match = rule.pending.exec(source);
      if (match && match.index < stop) stop = match.index;
    }
    return stop;
  }

  /** Every rule's accepted matches that start before `stop`, leftmost first, longest first on a tie. */
  private findAll(source: string, base: number, stop: number): Found[] {
    const found: Found[] = [];
    for (const rule of this.rules) {
      rule.pattern.lastIndex = base;
      for (let match = rule.pattern.exec(source); match && match.index < stop; match = rule.pattern.exec(source)) {
        const end = match.index + match[0].length;
        const text = rule.replace ? rule.replace(match, source.charAt(end)) : redactionMarker(rule.kind);
        if (text === null || end === match.index) {
          rule.pattern.lastIndex = match.index + 1; // a near miss: a match may still start inside it
          continue;
        }
        found.push({ start: match.index, end, text, rule });
      }
    }
    // Stable sort: on the same start and length the earlier rule wins.
    return found.length < 2 ? found : found.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /** Drops a block secret's body; true once its end was found and normal text resumes. */
  private skipBlock(final: boolean): boolean {
    const end = this.blockEnd!;
    end.lastIndex = 0;
    const match = end.exec(this.held);
    if (match) {
      const after = match.index + match[0].length;
      this.context = this.held.slice(Math.max(0, after - CONTEXT_CHARS), after);
      this.held = this.held.slice(after);
      this.blockEnd = undefined;
      return true;
    }
    // Keep only what could be the start of the end marker.
    this.held = final ? "" : this.held.slice(-BLOCK_END_MAX_CHARS);
    if (final) this.blockEnd = undefined;
    return false;
  }
}
