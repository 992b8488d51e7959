import confusables from "unhomoglyph/data.json" with { type: "json" };

/**
 * What the patterns are matched against. Attackers disguise words with full-width forms,
 * look-alike letters from other scripts and invisible characters; the views below undo that
 * before any pattern runs, so a pattern only has to be written once, in plain ASCII.
 */
export interface ScanText {
  /** NFKC-normalized, invisible characters removed, typographic quotes and dashes made ASCII; case kept. */
  base: string;
  /** `base` with look-alike letters folded to ASCII, lower-cased, runs of spaces collapsed. */
  view: string;
  /** ASCII hidden in Unicode tag characters (U+E0020..E007E), the "ASCII smuggling" trick, one line per run; "" when none. */
  smuggled: string;
  /** Invisible characters found inside words (between two letters). */
  invisibleInWords: number;
  /** Letters that were folded from another script inside a Latin word. */
  foldedHomoglyphs: number;
}

// Format characters (zero-width space/joiners, bidi controls, soft hyphen, BOM, tags, …), variation
// selectors, and the blank-looking fillers that render as nothing.
const INVISIBLE = /[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/gu;
const INVISIBLE_IN_WORD = /(?<=\p{L})[\p{Cf}\u034F\u2800\u3164\uFE00-\uFE0F]+(?=\p{L})/gu;
const TAG_CHARACTERS = /[\u{E0020}-\u{E007E}]+/gu;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u2035\u02BC\u00B4]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u2036\u00AB\u00BB]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63]/g;
/** "i g n o r e" or "i.g.n.o.r.e": three or more single letters joined by one separator each. */
const SPACED_LETTERS = /(?<![\p{L}\p{N}])\p{L}(?:[ .\-_*|]\p{L}){2,}(?![\p{L}\p{N}])/gu;

/** Non-ASCII characters that look like one ASCII letter or digit (from Unicode's confusables data). */
const HOMOGLYPHS: ReadonlyMap<string, string> = new Map(
  Object.entries(confusables as Record<string, string>)
    .filter(([from, to]) => /^[A-Za-z0-9]$/.test(to) && [...from].length === 1 && from.codePointAt(0)! > 0x7f)
    // Unicode's skeleton of "I" is "l"; a capital look-alike (Cyrillic І) is meant as "I".
    .map(([from, to]) => [from, to === "l" && from !== from.toLowerCase() ? "I" : to] as const),
);
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_LETTER = /[A-Za-z]/;

/** Builds the scan views of `text`. Linear in the length of the text. */
export function toScanText(text: string): ScanText {
  let smuggled = "";
  const withoutTags = text.replace(TAG_CHARACTERS, (tags) => {
    for (const char of tags) smuggled += String.fromCodePoint(char.codePointAt(0)! - 0xe0000);
    smuggled += "\n";
    return "";
  });
  const normalized = withoutTags.normalize("NFKC");
  const invisibleInWords = normalized.match(INVISIBLE_IN_WORD)?.join("").length ?? 0;
  const base = normalized
    .replace(INVISIBLE, "")
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, "-");
  const { text: folded, count } = foldHomoglyphs(base);
  const view = folded
    .replace(SPACED_LETTERS, (run) => run.replace(/[ .\-_*|]/g, ""))
    .toLowerCase()
    .replace(/[ \t\f\v\u00A0\u2000-\u200A\u3000]+/g, " ")
    .replace(/ ?\n[\s]*/g, "\n");
  return { base, view, smuggled: smuggled.trim(), invisibleInWords, foldedHomoglyphs: count };
}

/**
 * Folds look-alike letters to ASCII in words that mix them with ASCII letters ("іgnore" with a
 * Cyrillic і), and in whole words of look-alikes when the text is mostly Latin. Words of a text
 * written in another script are left alone, so Russian or Greek prose keeps its own patterns.
 */
function foldHomoglyphs(text: string): { text: string; count: number } {
  if (!NON_ASCII.test(text)) return { text, count: 0 };
  let latin = 0;
  let other = 0;
  for (const char of text) {
    if (ASCII_LETTER.test(char)) latin++;
    else if (char.codePointAt(0)! > 0x7f && /\p{L}/u.test(char)) other++;
  }
  if (other === 0) return { text, count: 0 };
  const mostlyLatin = latin >= other * 3;
  let count = 0;
  const result = text.replace(WORD, (word) => {
    if (!mostlyLatin && !ASCII_LETTER.test(word)) return word;
    let out = "";
    let changed = 0;
    for (const char of word) {
      const ascii = HOMOGLYPHS.get(char);
      if (ascii !== undefined) changed++;
      out += ascii ?? char;
    }
    if (changed === 0) return word;
    // A word of another script that only partly folds is a real word of that script, not a disguise.
    if (!ASCII_LETTER.test(word) && /[^\x00-\x7f]/.test(out)) return word;
    count += changed;
    return out;
  });
  return { text: result, count };
}
