import { describe, expect, test } from "bun:test";
import { createInputGuard } from "../../src/app/input-guard.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import { evaluate, fixtureSet, guardTrainDir, guardTrainSet } from "../helpers/guard-eval.ts";

// The design's claim, measured on the project's own fixtures with the default configuration.
const guard = createInputGuard(ConfigSchema.parse({}).guard);

describe("input guard rates", () => {
  test("fixtures: at least 150 attacks across every category and 150 benign texts, 50 of them code", () => {
    const rows = fixtureSet();
    const attacks = rows.filter((row) => row.label === 1);
    const benign = rows.filter((row) => row.label === 0);
    expect(attacks.length).toBeGreaterThanOrEqual(150);
    expect(benign.length).toBeGreaterThanOrEqual(150);
    expect(benign.filter((row) => row.category.startsWith("code_")).length).toBeGreaterThanOrEqual(50);
    for (const category of ["non_english", "about_injection"]) expect(benign.some((row) => row.category === category)).toBe(true);
    expect(new Set(attacks.map((row) => row.category)).size).toBeGreaterThanOrEqual(11);
  });

  test("fixtures: true-positive rate ≥ 95% at false-positive rate ≤ 2%", () => {
    const result = evaluate(guard, fixtureSet());
    expect(result.tpr).toBeGreaterThanOrEqual(0.95);
    expect(result.fpr).toBeLessThanOrEqual(0.02);
    // No benign programming question is refused.
    expect(result.misses.filter((miss) => miss.label === 0 && miss.category.startsWith("code_"))).toEqual([]);
  });

  test("guard-train (public labelled prompts, shared beside the checkout): the measured floor holds", () => {
    const dir = guardTrainDir();
    expect(dir, "shared/data/guard-train not found beside the checkout; set GUARD_TRAIN_DIR").not.toBeNull();
    const result = evaluate(guard, guardTrainSet(dir!));
    // Floors a little under what docs/security.md reports, so a regression fails here.
    expect(result.tpr).toBeGreaterThanOrEqual(0.7);
    expect(result.fpr).toBeLessThanOrEqual(0.01);
  }, 60_000);
});
