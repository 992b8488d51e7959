import type { GuardCategory, Severity } from "../input-guard.ts";
import type { ScanText } from "../normalize.ts";

/** A rule that is not one regex (it counts something), kept as data beside the patterns. */
export interface InputSignal {
  id: string;
  category: GuardCategory;
  severity: Severity;
  fires(scan: ScanText): boolean;
}

const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
/** Emoji subdivision flags (🏴 + "gbeng") are the one legitimate use of tag characters. */
const FLAG_TAGS = /^[a-z]{2}[a-z0-9]{1,4}(?:\n[a-z]{2}[a-z0-9]{1,4})*$/;
/** Symbols that prose rarely uses and optimized suffixes use a lot. */
const RARE_SYMBOLS = /[{}[\]|\\<>~^$%#@*=;`+&]/g;

export const SIGNALS: InputSignal[] = [
  {
    id: "encoding.invisible-in-words",
    category: "encoding",
    severity: "medium",
    fires: (scan) => scan.invisibleInWords >= 2,
  },
  {
    id: "encoding.tag-smuggling",
    category: "encoding",
    severity: "high",
    fires: (scan) => scan.smuggled.length >= 4 && !FLAG_TAGS.test(scan.smuggled),
  },
  {
    id: "encoding.homoglyph-words",
    category: "encoding",
    severity: "medium",
    fires: (scan) => scan.foldedHomoglyphs >= 3,
  },
  {
    id: "suffix.control-characters",
    category: "adversarial_suffix",
    severity: "medium",
    fires: (scan) => CONTROL.test(scan.base),
  },
  {
    id: "suffix.gibberish-tail",
    category: "adversarial_suffix",
    severity: "high",
    fires: (scan) => scan.base.split("\n").some(hasGibberishTail),
  },
];

/**
 * A line of prose that ends in a run of random-looking characters, as optimized adversarial
 * suffixes do ("…a fake news article ;AwL=G.uhVmC"): at least four plain words, then a tail of
 * up to three tokens whose characters switch between lower case, upper case, digits and symbols
 * far more often than words or code identifiers do.
 */
export function hasGibberishTail(line: string): boolean {
  // Placeholders, markdown tables, inline code and links are not noise.
  if (/\{\{[^}]*\}\}|^\s*\|/.test(line)) return false;
  const tokens = line.replace(/`[^`]*`|\[[^\]\n]*\]\([^)\n]*\)|\bhttps?:\/\/\S+/g, " ").trim().split(/\s+/);
  if (tokens.length < 5) return false;
  const plainWords = tokens.filter((token) => /^[A-Za-z]{2,}[,.;:!?]?$/.test(token)).length;
  if (plainWords < 4) return false;
  for (let take = 1; take <= 3 && take < tokens.length - 3; take++) {
    const tail = tokens.slice(-take).join("");
    if (tail.length < 6 || tail.length > 60 || !/[A-Za-z]/.test(tail)) continue;
    const rare = tail.match(RARE_SYMBOLS)?.length ?? 0;
    const changes = switches(tail);
    const rate = changes / tail.length;
    if (changes >= 6 && ((rare >= 2 && rate >= 0.5) || (rare >= 3 && rate >= 0.4))) return true;
    if (take === 1 && looksRandom(tail, rare)) return true;
  }
  return false;
}

/** A token of random letters: mixed case, hardly any vowels, with a digit or a rare symbol. */
function looksRandom(token: string, rare: number): boolean {
  const letters = token.match(/[A-Za-z]/g) ?? [];
  if (letters.length < 6 || !/[a-z]/.test(token) || (token.slice(1).match(/[A-Z]/g)?.length ?? 0) < 2) return false;
  if (rare === 0 && !/\d/.test(token)) return false;
  const vowels = letters.filter((letter) => "aeiouAEIOU".includes(letter)).length;
  return vowels / letters.length < 0.2 && switches(token) / token.length >= 0.3;
}

function switches(text: string): number {
  let count = 0;
  let previous = "";
  for (const char of text) {
    const kind = /[a-z]/.test(char) ? "l" : /[A-Z]/.test(char) ? "u" : /[0-9]/.test(char) ? "d" : "s";
    if (previous && kind !== previous) count++;
    previous = kind;
  }
  return count;
}
