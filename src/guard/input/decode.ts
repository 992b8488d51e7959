/**
 * Decode-and-rescan: instructions hidden in base64, hex, percent- or entity-encoding, binary,
 * rot13 or reversed text are decoded here so the same patterns can look at them.
 */

export interface DecodedPayload {
  /** How it was hidden: base64, hex, url, entities, binary, rot13, reversed. */
  via: string;
  text: string;
}

/** At most this many payloads per message, so a message full of blobs stays cheap. */
const MAX_PAYLOADS = 8;
const MAX_PAYLOAD_CHARS = 4000;

const BASE64 = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])/g;
const HEX_RUN = /(?<![0-9a-fA-F])(?:(?:0x|\\x)?[0-9a-fA-F]{2}[\s:,-]?){8,}/g;
const PERCENT = /(?:%[0-9a-fA-F]{2}){4,}/g;
const ENTITIES = /(?:&#(?:x[0-9a-fA-F]{1,6}|\d{1,7});){4,}/g;
const UNICODE_ESCAPES = /(?:\\u[0-9a-fA-F]{4}){4,}/g;
const BINARY = /(?<![01])(?:[01]{8}[\s,]?){4,}/g;
/** Text that says it is rot13 / Caesar-shifted or reversed is decoded whole. */
const MENTIONS_ROT13 = /\brot[\s-]?13\b|\bcaesar\b|\bcipher\b/i;
const MENTIONS_JOINING = /\b(?:concatenat\w*|combin\w*|join\w*|merg\w*|put together|append\w*|glue)\b/i;
const QUOTED_PART = /'([^'\n]{1,80})'|"([^"\n]{1,80})"/g;
const MENTIONS_REVERSED = /\brevers|\bbackwards?\b|\bright[\s-]to[\s-]left\b/i;

/** The payloads hidden in `base` (the NFKC text, case kept) that decode to readable text. */
export function decodePayloads(base: string): DecodedPayload[] {
  const found: DecodedPayload[] = [];
  const add = (via: string, decoded: string | null) => {
    if (found.length < MAX_PAYLOADS && decoded && isReadable(decoded)) found.push({ via, text: decoded.slice(0, MAX_PAYLOAD_CHARS) });
  };
  for (const [match] of base.matchAll(BASE64)) {
    // Long runs of letters only are words or identifiers, not base64.
    if (/[0-9+/=_-]/.test(match) || /[a-z][A-Z]|[A-Z][a-z]/.test(match)) add("base64", fromBase64(match));
  }
  for (const [match] of base.matchAll(HEX_RUN)) add("hex", fromHex(match));
  for (const [match] of base.matchAll(PERCENT)) add("url", safely(() => decodeURIComponent(match)));
  for (const [match] of base.matchAll(ENTITIES)) add("entities", fromCodePoints(match.matchAll(/&#(x?)([0-9a-fA-F]+);/g), (m) => parseInt(m[2]!, m[1] ? 16 : 10)));
  for (const [match] of base.matchAll(UNICODE_ESCAPES)) add("unicode-escapes", fromCodePoints(match.matchAll(/\\u([0-9a-fA-F]{4})/g), (m) => parseInt(m[1]!, 16)));
  for (const [match] of base.matchAll(BINARY)) add("binary", fromCodePoints(match.matchAll(/[01]{8}/g), (m) => parseInt(m[0], 2)));
  // Whole-text transforms count only when they read more like words than the text itself.
  if (MENTIONS_ROT13.test(base)) add("rot13", transformSegments(base, rot13));
  if (MENTIONS_REVERSED.test(base)) add("reversed", transformSegments(base, (text) => [...text].reverse().join("")));
  if (MENTIONS_JOINING.test(base)) {
    const parts = [...base.matchAll(QUOTED_PART)].map((match) => match[1] ?? match[2] ?? "");
    if (parts.length >= 2) add("concatenation", parts.join(""));
  }
  return found;
}

/** Rotates ASCII letters by 13. */
export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (char) => {
    const start = char <= "Z" ? 65 : 97;
    return String.fromCharCode(((char.charCodeAt(0) - start + 13) % 26) + start);
  });
}

const COMMON_WORDS = new Set("the and to of a you is in that it for on with be this are your as all not or what have can do how me my i will now".split(" "));

/** Share of the words in `text` that are among the most common English words. */
function englishness(text: string): number {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  if (words.length === 0) return 0;
  return words.filter((word) => COMMON_WORDS.has(word)).length / words.length;
}

/** The segments (split at line ends and colons) whose transform reads more like English than they do. */
function transformSegments(text: string, transform: (text: string) => string): string | null {
  const decoded = text
    .split(/[\n:]/)
    .map(transform)
    .filter((segment, index, all) => englishness(segment) > englishness(transform(all[index]!)) + 0.1);
  return decoded.length > 0 ? decoded.join("\n") : null;
}

function fromBase64(candidate: string): string | null {
  const standard = candidate.replace(/-/g, "+").replace(/_/g, "/");
  if (standard.replace(/=+$/, "").length % 4 === 1) return null;
  return utf8(Buffer.from(standard, "base64"));
}

function fromHex(run: string): string | null {
  const digits = run.replace(/0x|\\x|[\s:,-]/g, "");
  if (digits.length % 2 !== 0) return null;
  return utf8(Buffer.from(digits, "hex"));
}

function fromCodePoints(matches: Iterable<RegExpMatchArray>, toCodePoint: (match: RegExpMatchArray) => number): string | null {
  let text = "";
  for (const match of matches) {
    const codePoint = toCodePoint(match);
    if (codePoint > 0x10ffff) return null;
    text += String.fromCodePoint(codePoint);
  }
  return text;
}

function utf8(bytes: Buffer): string | null {
  return safely(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes));
}

function safely(decode: () => string | null): string | null {
  try {
    return decode();
  } catch {
    return null;
  }
}

/** Decoded bytes that read as words: mostly printable, with letters and a space. */
function isReadable(text: string): boolean {
  if (text.length < 8 || !/\p{L}{2}/u.test(text) || !/\s/.test(text)) return false;
  let printable = 0;
  for (const char of text) if (/[\p{L}\p{N}\p{P}\p{Zs}\s]/u.test(char)) printable++;
  return printable / [...text].length >= 0.9;
}
