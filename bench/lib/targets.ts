/** Target lines of a scenario's report, built one way for every scenario. */
import type { TargetCheck } from "./harness.ts";
import { median, round, runSpread } from "./stats.ts";

/**
 * A target judged on the unrounded median of its runs (one value per run; a run that measured
 * nothing is NaN and left out), shown rounded with the lowest and highest run: a median of
 * 50.04 ms misses "≤ 50 ms" although it reads as 50, and 94.96% misses "≥ 95%".
 */
export function medianTarget(check: {
  name: string;
  target: string;
  runs: readonly number[];
  /** Appended to the figure and to the spread, e.g. " ms", "×", "%". */
  unit: string;
  /** Said after the figure, before the spread, e.g. " (offered 2100/s)". */
  note?: string;
  meets: (median: number) => boolean;
}): TargetCheck {
  const value = median(check.runs);
  return {
    name: check.name,
    target: check.target,
    measured: `${round(value)}${check.unit}${check.note ?? ""}${runSpread(check.runs, check.unit)}`,
    met: check.meets(value),
  };
}
