import { describe, expect, test } from "bun:test";
import { GUARD_CATEGORIES } from "../../src/guard/input/input-guard.ts";
import { INPUT_PATTERNS, SIGNALS } from "../../src/guard/input/patterns/index.ts";
import { RuleBasedInputGuard } from "../../src/guard/input/rule-based.ts";
import { PATTERN_CASES } from "./pattern-cases.ts";

const guard = new RuleBasedInputGuard({ enabled: true, maxSpecialCharRatio: 0.3, blockThreshold: 0.75, actions: {} });
const rules = [...INPUT_PATTERNS, ...SIGNALS];
const fired = (text: string) => guard.inspect(text).matches.filter((match) => !match.via).map((match) => match.patternId);

describe("the pattern tables", () => {
  test("hold at least 40 rules with unique ids, in the named categories", () => {
    expect(rules.length).toBeGreaterThanOrEqual(40);
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
    for (const rule of rules) expect(GUARD_CATEGORIES).toContain(rule.category);
    const categories = new Set(rules.map((rule) => rule.category));
    for (const named of ["instruction_override", "role_manipulation", "special_tokens", "jailbreak_persona", "prompt_extraction", "tool_injection", "encoding"] as const) {
      expect(categories.has(named)).toBe(true);
    }
  });

  test("every rule has a case, and every case a rule", () => {
    expect(Object.keys(PATTERN_CASES).sort()).toEqual(rules.map((rule) => rule.id).sort());
  });
});

describe.each(rules.map((rule) => [rule.id, rule.category] as const))("%s (%s)", (id) => {
  const cases = PATTERN_CASES[id]!;
  test("fires on its example", () => {
    expect(fired(cases.fires)).toContain(id);
  });
  test("does not fire on a benign near miss", () => {
    expect(fired(cases.nearMiss)).not.toContain(id);
  });
});
