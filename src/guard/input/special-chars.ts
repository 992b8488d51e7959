/**
 * The special-character ratio: symbol noise (adversarial suffixes, token smuggling) is refused,
 * ordinary programming questions are not. Code is taken out before counting: fenced blocks,
 * inline `code`, URLs, and lines that read as code (indented, or ending or starting the way code
 * lines do, or holding an operator such as `=>`, `==`, `&&`, `::`). What remains is the prose the
 * ratio is about.
 */

/** Prose shorter than this (non-whitespace characters) is never refused: "???" or ":-)" is fine. */
export const MIN_PROSE_CHARS = 24;

const FENCED = /^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?(?:^[ \t]*\1[^\n]*$|(?![\s\S]))/gm;
const INLINE_CODE = /`[^`\n]+`/g;
/** Math, markup and template syntax that reads as symbols but is not noise. */
const NOTATION = /\$\$[^$]+\$\$|\$[^$\n]{1,200}\$|\\[a-zA-Z]+|\{\{[^}\n]{0,80}\}\}|(?:\*\*|__)(?=[^*_\n]*[A-Za-z])|^[ \t]*(?:[-*+>]|\d+[.)])[ \t]+/gm;
const URL = /\b(?:https?|ftp|file|wss?):\/\/\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+/g;
const CODE_LINE = [
  /^(?:\t| {2,})\S/, // indented
  /^(?=[^\n]*\w)[^\n]*[;{}()[\]\\,:][ \t]*$/, // ends like a statement, block or call (after some code)
  /^\s*[}\])]+[;,)]*\s*$/, // a closing line
  /^\s*(?:\/\/|\/\*|#[\s\w!]|--|<\/?[a-zA-Z!?]|\$ |> |>>> |\.\.\. |@\w)/, // a comment, markup, a prompt
  /[\w)\]]\s?(?:=>|==|!=|<=|>=|&&|\|\||::|->|\+=|-=|\*=|\/=|=)\s?[\w"'(\[{-]|[A-Za-z0-9]\+\+|\+\+[A-Za-z]/, // operators between operands
  /[A-Za-z_]\w*\(|\w\[|\w\.\w+\(/, // calls and indexing
];
// Symbols people type in prose, emoji and pictographs do not count as special.
const SPECIAL = /[^\p{L}\p{N}\p{M}\s\p{Extended_Pictographic}\u200D\uFE0F]/gu;
const NON_SPACE = /\S/gu;

/** A line that reads as code: indented, a statement, a comment, operators between operands, calls. */
export function isCodeLine(line: string): boolean {
  return CODE_LINE.some((rule) => rule.test(line));
}

export interface SpecialCharRatio {
  /** Special characters / non-whitespace characters in the prose. */
  ratio: number;
  /** Non-whitespace characters of prose counted. */
  proseChars: number;
}

/** The special-character ratio of the prose in `text` (the NFKC-normalized message). */
export function specialCharRatio(text: string): SpecialCharRatio {
  const prose = text
    .replace(FENCED, "\n")
    .replace(INLINE_CODE, " ")
    .replace(URL, " ")
    .replace(NOTATION, " ")
    .split("\n")
    .filter((line) => !isCodeLine(line))
    .join("\n");
  const proseChars = prose.match(NON_SPACE)?.length ?? 0;
  if (proseChars === 0) return { ratio: 0, proseChars };
  const special = prose.match(SPECIAL)?.length ?? 0;
  return { ratio: special / proseChars, proseChars };
}

/** True when the prose is long enough to judge and its ratio is over `maxRatio`. */
export function exceedsSpecialCharRatio(text: string, maxRatio: number): boolean {
  const { ratio, proseChars } = specialCharRatio(text);
  return proseChars >= MIN_PROSE_CHARS && ratio > maxRatio;
}
