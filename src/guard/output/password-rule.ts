import { redactionMarker } from "./output-redactor.ts";
import { literalSteps, prefixesOf, type SecretRule } from "./secret-rule.ts";

/**
 * Password assignments: `password=…`, `DB_PASSWORD: …`, `"password": "…"`, `passwd := …`. Only the
 * value is redacted; the key stays, so the text still reads. Values that are code rather than a
 * password (`password=password,`, `password: string`, `password = getpass()`, `${DB_PASSWORD}`,
 * `process.env.PW`) are left alone.
 */

const KEYS = ["password", "passwd", "passphrase", "pwd"];
const KEY = `(?:${KEYS.join("|")})`;
const SEPARATOR = String.raw`(?::=|=>|={1,3}|:)`;
/** A value without quotes runs to whitespace, a quote or code punctuation (`,;()[]{}<>`). */
const BARE = String.raw`[^\s"'\`,;(){}\[\]<>]`;
const BARE_FIRST = String.raw`[^\s"'\`,;(){}\[\]<>=]`;

const pattern = new RegExp(
  String.raw`(?<![A-Za-z])(${KEY})(?![A-Za-z])(["']?[ \t]{0,16}${SEPARATOR}[ \t]{0,16})(?:"([^"\n]{0,256})"|'([^'\n]{0,256})'|(${BARE_FIRST}${BARE}{0,255})(?!${BARE}))`,
  "gi",
);

const rest = String.raw`["']?[ \t]{0,16}(?:(?::=?|=>|={1,3})[ \t]{0,16}(?:"[^"\n]{0,256}|'[^'\n]{0,256}|(?:${BARE_FIRST}${BARE}{0,255})?)?)?`;
const pending = new RegExp(`(?<![A-Za-z])(?:${KEYS.map((key) => prefixesOf(literalSteps(key))).join("|")}|${KEY}${rest})$`, "gi");

/**
 * The password in a URL's user info: `postgres://app:[REDACTED:password]@db:5432/app`. The match is
 * the password alone; the lookbehind reads the scheme and user name in the text before it.
 */
const URL_USER = String.raw`(?<=[a-z][a-z0-9+.-]{0,20}://[^\s:/@]{1,48}:)`;
export const urlPasswordRule: SecretRule = {
  kind: "password",
  pattern: new RegExp(String.raw`${URL_USER}[^\s@/]{1,128}(?=@)`, "gi"),
  pending: new RegExp(String.raw`${URL_USER}[^\s@/]{0,128}$`, "gi"),
};

/** Words that follow `password:` or `password =` in code, not in a secret. */
const CODE_WORDS = new Set(
  "string str bytes number int integer bool boolean any unknown object char varchar text secretstr optional option required input getpass self this os env process new await typeof".split(" "),
);

export const passwordRule: SecretRule = {
  kind: "password",
  pattern,
  pending,
  replace(match, after) {
    const [, key, separator, double, single, bare] = match;
    const quote = double !== undefined ? '"' : single !== undefined ? "'" : "";
    const value = double ?? single ?? bare ?? "";
    if (isPlaceholder(value) || (!quote && isCode(value, after))) return null;
    return `${key}${separator}${quote}${redactionMarker("password")}${quote}`;
  },
};

/** Empty, masked, a template, an example, a small number (`MIN_PASSWORD = 12`), or already redacted. */
function isPlaceholder(value: string): boolean {
  return (
    value === "" ||
    /^\d{1,3}$/.test(value) ||
    /^[*•x.\-_#]+$/i.test(value) ||
    /^\$(?:[{A-Za-z_]|$)|^%[sd(]|^\{|^<[^>]*>$|^\[REDACTED:/.test(value) ||
    /^(?:your|my|the|new|old|example|some)[-_ ]?(?:password|passwd|pass|pwd|secret)/i.test(value) ||
    /^(?:password|passwd|pass|pwd|secret|none|null|nil|undefined|true|false)$/i.test(value)
  );
}

/** A call, a dotted reference, a regex or file path, a type annotation, or a variable passed on as an argument. */
function isCode(value: string, after: string): boolean {
  if (after === "(" || value.startsWith("/")) return true;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return true;
  return /^[A-Za-z_]\w*$/.test(value) && (after === "," || after === ")" || CODE_WORDS.has(value.toLowerCase()));
}
