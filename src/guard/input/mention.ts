/**
 * Talking about an attack is not making one: "how do I stop users typing 'ignore previous
 * instructions'?" quotes an attack inside a question about defending against it. A match counts
 * as a mention (and weighs little) when the text is about the subject and the match is quoted,
 * in code, or introduced as an example.
 */

const DISCUSSION =
  /\b(?:prompt[- ]injections?|injection attacks?|jailbreak(?:s|ing)? (?:prompts?|attacks?|attempts?|techniques?|examples?)|attacks?|attackers?|adversar(?:y|ies|ial)|red[- ]team\w*|guardrails?|classif(?:y|ier|iers|ication)|detect(?:s|ed|ion|or|ors|ing)?|defen[cs]es?|defend(?:ing)?|mitigat\w+|filter(?:s|ing)?|sanitiz\w+|security|vulnerab\w+|malicious (?:users?|inputs?|prompts?)|if (?:a|the|any) user (?:asks|says|tries|requests|writes|sends)|(?:never|do not|don't) (?:reveal|disclose|share)|examples? (?:of|attack|prompt)|regex(?:es)?|pattern)\b/;
const QUOTED = /"[^"\n]{3,400}"|(?<![\w])'[^'\n]{3,400}'(?![\w])|`[^`]{1,2000}`|```[\s\S]*?(?:```|$)/g;
const INTRODUCED = /(?:such as|for example|for instance|e\.g\.,?|like|called|known as|says?|said|writes?|wrote|typ(?:e|es|ing)|asks? (?:you |it |the model )?to|tries to|try to|attempts? to|example|prompts?|inputs?|strings?|phrases?|messages?)[\s:]*["'`]?\s?$/;

export interface MentionContext {
  /** True when the text is about attacks, defences or filtering at all. */
  discussing: boolean;
  quoted: Array<[number, number]>;
}

/** Finds the quoted spans of a scan view, once per text, only when the text discusses attacks. */
export function mentionContext(view: string): MentionContext {
  if (!DISCUSSION.test(view)) return { discussing: false, quoted: [] };
  const quoted: Array<[number, number]> = [];
  for (const match of view.matchAll(QUOTED)) quoted.push([match.index, match.index + match[0].length]);
  return { discussing: true, quoted };
}

/** True when the match at `index` in `view` is quoted or introduced as an example in a discussion. */
export function isMention(context: MentionContext, view: string, index: number): boolean {
  if (!context.discussing) return false;
  if (context.quoted.some(([start, end]) => index >= start && index < end)) return true;
  return INTRODUCED.test(view.slice(Math.max(0, index - 40), index));
}
