/**
 * Measures the input guard: true- and false-positive rates per category on the project's
 * fixtures (test/fixtures/guard/) and on the shared guard-train set, plus inspect() time per
 * benign message. Uses the same configuration as the server.
 *
 *   bun scripts/guard-eval.ts [--config FILE] [--misses N] [--set fixtures|guard-train]
 *
 * `--misses N` also prints up to N missed attacks and N blocked benign texts per set (they may
 * contain harmful text: for tuning, not for logs).
 */
import { createInputGuard } from "../src/app/input-guard.ts";
import { loadConfig } from "../src/config/load.ts";
import { evaluate, fixtureSet, guardTrainDir, guardTrainSet, type Evaluation, type LabelledText } from "../test/helpers/guard-eval.ts";

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const { config } = await loadConfig({ configPath: option("--config") });
const guard = createInputGuard(config.guard);
const showMisses = Number(option("--misses") ?? 0);
const only = option("--set");

const sets: Array<[string, LabelledText[]]> = [];
if (!only || only === "fixtures") sets.push(["fixtures (test/fixtures/guard/)", fixtureSet()]);
const trainDir = guardTrainDir();
if ((!only || only === "guard-train") && trainDir) sets.push(["guard-train (shared/data/guard-train/)", guardTrainSet(trainDir)]);
if ((!only || only === "guard-train") && !trainDir) console.error("guard-train not found; set GUARD_TRAIN_DIR");

// Warm up the regexes (JIT) so the timings describe a running server.
for (const [, rows] of sets) for (const row of rows.slice(0, 200)) guard.inspect(row.text);

for (const [name, rows] of sets) {
  const result = evaluate(guard, rows);
  console.log(report(name, result));
  if (showMisses > 0) printMisses(result, showMisses);
}

function report(name: string, result: Evaluation): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const lines = [
    `### ${name}`,
    "",
    `TPR ${percent(result.tpr)} (${result.truePositives}/${result.attacks} attacks blocked or sanitized), ` +
      `FPR ${percent(result.fpr)} (${result.falsePositives}/${result.benign} benign blocked). ` +
      `inspect() CPU time per benign message: mean ${result.benignMicros.mean.toFixed(0)} µs, p50 ${result.benignMicros.p50.toFixed(0)} µs, ` +
      `p99 ${result.benignMicros.p99.toFixed(0)} µs, max ${result.benignMicros.max.toFixed(0)} µs.`,
    "",
    "| label | category | texts | blocked | sanitized | caught (attacks) / blocked (benign) |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...result.categories.map(
      (c) =>
        `| ${c.label ? "attack" : "benign"} | ${c.category} | ${c.total} | ${c.blocked} | ${c.sanitized} | ` +
        `${percent((c.label ? c.blocked + c.sanitized : c.blocked) / c.total)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

function printMisses(result: Evaluation, limit: number) {
  for (const label of [1, 0] as const) {
    const misses = result.misses.filter((miss) => miss.label === label).slice(0, limit);
    console.log(label ? "missed attacks:" : "blocked benign:");
    for (const miss of misses) {
      const ids = miss.verdict.matches.map((m) => `${m.via ? `${m.via}:` : ""}${m.patternId}/${m.severity[0]}`).join(",");
      console.log(`  [${miss.category}] score=${miss.verdict.score} ${ids} :: ${JSON.stringify(miss.text.slice(0, 220))}`);
    }
  }
}
