import { escapeRegExp, literalSteps, prefixesOf, type SecretRule } from "./secret-rule.ts";

/**
 * Absolute paths inside one of the server's own directories: the directory itself or anything
 * below it, to where the path ends (whitespace, a quote, a bracket; a final `.`, `:`, `!` or `?`
 * is left as punctuation). A path that merely shares a prefix (`/srv/data2`) is not inside it.
 */
const PATH_CHAR = String.raw`[^\s"'\`<>|()\[\]{},;]`;
const PATH_END_CHAR = String.raw`[^\s"'\`<>|()\[\]{},;.:!?]`;
/** Not in the middle of another path or word; `file:///dir` still counts. */
const PATH_START = String.raw`(?<![\w.~-]|[^/]/)`;

/** A rule for `directory` (absolute, without a trailing separator); null for the filesystem root. */
export function pathRule(directory: string): SecretRule | null {
  const dir = directory.replace(/[\\/]+$/, "");
  if (dir === "" || /^[A-Za-z]:$/.test(dir)) return null;
  return {
    kind: "path",
    pattern: new RegExp(String.raw`${PATH_START}${escapeRegExp(dir)}(?![\w-]|\.[\w-])(?:/(?:${PATH_CHAR}{0,1024}${PATH_END_CHAR})?)?`, "g"),
    pending: new RegExp(`${PATH_START}${prefixesOf([...literalSteps(dir), `${PATH_CHAR}{0,1026}`])}$`, "g"),
  };
}
