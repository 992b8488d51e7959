import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { InputGuard, Verdict } from "../../src/guard/input/input-guard.ts";

/** One labelled text: an attack (label 1) or a benign message (label 0), with its category. */
export interface LabelledText {
  text: string;
  category: string;
  label: 0 | 1;
}

export interface CategoryRate {
  category: string;
  label: 0 | 1;
  total: number;
  blocked: number;
  sanitized: number;
}

export interface Evaluation {
  attacks: number;
  benign: number;
  truePositives: number;
  falsePositives: number;
  /** Caught (blocked or sanitized) attacks / attacks. */
  tpr: number;
  /** Blocked benign texts / benign texts. */
  fpr: number;
  categories: CategoryRate[];
  /** inspect() CPU time per benign message, in microseconds. */
  benignMicros: { mean: number; p50: number; p99: number; max: number };
  misses: Array<LabelledText & { verdict: Verdict }>;
}

const REPO_ROOT = resolve(import.meta.dir, "../..");
export const FIXTURE_DIR = join(REPO_ROOT, "test/fixtures/guard");

/** Reads a JSON-lines file of `{text, category}` rows. */
export function readJsonl(path: string, label: 0 | 1): LabelledText[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const row = JSON.parse(line) as { text: string; category: string };
      return { text: row.text, category: row.category, label };
    });
}

/** The project's own fixture set (test/fixtures/guard/). */
export function fixtureSet(): LabelledText[] {
  return [...readJsonl(join(FIXTURE_DIR, "attacks.jsonl"), 1), ...readJsonl(join(FIXTURE_DIR, "benign.jsonl"), 0)];
}

/**
 * The shared guard-train set: `$GUARD_TRAIN_DIR`, else `shared/data/guard-train` beside the
 * checkout or one of its parents (CI puts `shared/` beside the clone). Null when absent.
 */
export function guardTrainDir(): string | null {
  if (process.env.GUARD_TRAIN_DIR) return process.env.GUARD_TRAIN_DIR;
  for (let dir = dirname(REPO_ROOT); ; dir = dirname(dir)) {
    const candidate = join(dir, "shared/data/guard-train");
    if (existsSync(join(candidate, "attacks.jsonl"))) return candidate;
    if (dir === dirname(dir)) return null;
  }
}

export function guardTrainSet(dir: string): LabelledText[] {
  return [...readJsonl(join(dir, "attacks.jsonl"), 1), ...readJsonl(join(dir, "benign.jsonl"), 0)];
}

/** Runs the guard over `rows`; a text counts as caught when the verdict is block. */
export function evaluate(guard: InputGuard, rows: LabelledText[]): Evaluation {
  const byCategory = new Map<string, CategoryRate>();
  const times: number[] = [];
  const misses: Evaluation["misses"] = [];
  let truePositives = 0;
  let falsePositives = 0;
  for (const row of rows) {
    // CPU time rather than wall time: the figure should not depend on what else the machine runs.
    const started = process.cpuUsage();
    const verdict = guard.inspect(row.text);
    const spent = process.cpuUsage(started);
    if (row.label === 0) times.push(spent.user + spent.system);
    const key = `${row.label}:${row.category}`;
    const rate = byCategory.get(key) ?? { category: row.category, label: row.label, total: 0, blocked: 0, sanitized: 0 };
    byCategory.set(key, rate);
    rate.total++;
    const blocked = verdict.action === "block";
    if (blocked) rate.blocked++;
    if (verdict.action === "sanitize") rate.sanitized++;
    // An attack is caught when it is blocked or defused (special tokens stripped); a benign text is a
    // false positive only when it is blocked.
    const caught = blocked || verdict.action === "sanitize";
    if (row.label === 1 && caught) truePositives++;
    if (row.label === 0 && blocked) falsePositives++;
    if ((row.label === 1 && !caught) || (row.label === 0 && blocked)) misses.push({ ...row, verdict });
  }
  const attacks = rows.filter((row) => row.label === 1).length;
  const benign = rows.length - attacks;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return {
    attacks,
    benign,
    truePositives,
    falsePositives,
    tpr: attacks ? truePositives / attacks : 0,
    fpr: benign ? falsePositives / benign : 0,
    categories: [...byCategory.values()].sort((a, b) => b.label - a.label || a.category.localeCompare(b.category)),
    benignMicros: { mean: times.reduce((sum, t) => sum + t, 0) / (times.length || 1), p50: at(0.5), p99: at(0.99), max: times.at(-1) ?? 0 },
    misses,
  };
}
