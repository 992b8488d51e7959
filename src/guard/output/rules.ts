import { customRule } from "./custom-rule.ts";
import { passwordRule, urlPasswordRule } from "./password-rule.ts";
import { pathRule } from "./path-rule.ts";
import type { SecretRule } from "./secret-rule.ts";
import { TOKEN_RULES } from "./token-rules.ts";

export interface SecretRuleOptions {
  /** Absolute directories whose paths are redacted (`path`). */
  directories?: readonly string[];
  /** Extra patterns from configuration. */
  patterns?: readonly { kind: string; regex: string }[];
}

/** Every built-in rule (vendor keys, JWTs, PEM keys, passwords) plus paths and configured patterns. */
export function secretRules(options: SecretRuleOptions = {}): SecretRule[] {
  // Longer directories first, so a path inside both a directory and its parent is one redaction.
  const directories = [...new Set(options.directories ?? [])].sort((a, b) => b.length - a.length);
  return [
    ...TOKEN_RULES,
    passwordRule,
    urlPasswordRule,
    ...directories.flatMap((directory) => pathRule(directory) ?? []),
    ...(options.patterns ?? []).map(({ kind, regex }) => customRule(kind, regex)),
  ];
}
