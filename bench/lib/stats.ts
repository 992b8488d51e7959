/** Small statistics for benchmark samples: percentiles (nearest rank), medians across runs, ratios. */

/** The `p`-th percentile (0..100) of `samples` by nearest rank; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** p50, p90, p99 and max of a latency sample, in its unit, with the sample count. */
export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function distribution(samples: readonly number[]): Distribution {
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    max: samples.length === 0 ? Number.NaN : samples.reduce((a, b) => Math.max(a, b)),
  };
}

/** Rounds for reports: 3 significant decimals below 10, 1 decimal below 1000, integers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  const digits = magnitude < 10 ? 3 : magnitude < 1000 ? 1 : 0;
  return Number(value.toFixed(digits));
}

/**
 * ` (runs: lowest–highest)` of the runs a median was taken over, in `unit`; "" for a single run.
 * The machines are noisy: a target line shows how far its runs were apart.
 */
export function runSpread(values: readonly number[], unit = ""): string {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length < 2) return "";
  return ` (runs: ${round(Math.min(...finite))}–${round(Math.max(...finite))}${unit})`;
}
