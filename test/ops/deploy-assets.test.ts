import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { METRICS } from "../../src/metrics/catalogue.ts";

const ROOT = resolve(import.meta.dir, "../..");
const PROMETHEUS = join(ROOT, "deploy/prometheus");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The agentd metric names an expression uses, histogram suffixes removed. */
const agentdMetricsIn = (expr: string) =>
  [...expr.matchAll(/\bagentd_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ""));

/** Runs promtool when the machine has it; says so loudly when it does not. */
function withPromtool(check: (promtool: string) => void): void {
  const promtool = Bun.which("promtool");
  if (promtool) return check(promtool);
  console.warn("\n*** SKIPPED CHECK: promtool is not installed (apt-get install prometheus); only the YAML structure was checked ***\n");
}

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; description: string; runbook: string };
}

describe("deploy/prometheus/alerts.yml", () => {
  const rules = (parse(read("deploy/prometheus/alerts.yml")) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((group) => group.rules);
  const runbook = read("docs/runbook.md");

  test("has the alerts the issue asks for, each with a severity, a summary and a runbook section", () => {
    expect(rules.map((rule) => rule.alert)).toEqual(expect.arrayContaining(["AgentdCircuitOpen", "AgentdQueueBacklog", "AgentdWebSocketRefusals", "AgentdFirstTokenSlow"]));
    for (const rule of rules) {
      expect(["critical", "warning"], rule.alert).toContain(rule.labels.severity);
      expect(rule.for, rule.alert).toMatch(/^\d+m$/);
      expect(rule.annotations.summary.length, rule.alert).toBeGreaterThan(10);
      expect(rule.annotations.runbook, rule.alert).toBe(`docs/runbook.md#${rule.alert.toLowerCase()}`);
      expect(runbook, rule.alert).toContain(`\n## ${rule.alert}\n`);
    }
  });

  test("thresholds: breaker open 5 min, queue > 1,000, refusals > 10/min, first-token p95 > 10 s", () => {
    const byName = Object.fromEntries(rules.map((rule) => [rule.alert, rule]));
    // (Not toMatchObject with expect.stringContaining: Bun 1.4.5 writes the matcher into the object.)
    expect(byName.AgentdCircuitOpen!.for).toBe("5m");
    expect(byName.AgentdCircuitOpen!.expr).toContain("agentd_circuit_state) == 2");
    expect(byName.AgentdQueueBacklog!.expr).toContain('agentd_tasks{state="queued"}) > 1000');
    expect(byName.AgentdWebSocketRefusals!.expr).toContain("* 60 > 10");
    expect(byName.AgentdFirstTokenSlow!.expr).toMatch(/histogram_quantile\(0\.95, .*agentd_llm_first_token_seconds_bucket.*\) > 10$/);
  });

  test("every expression uses metrics agentd exposes", () => {
    for (const rule of rules) for (const name of agentdMetricsIn(rule.expr)) expect(Object.keys(METRICS), rule.alert).toContain(name);
  });

  test("promtool accepts the rules, their unit tests pass, and the example config is valid", () => {
    withPromtool((promtool) => {
      for (const args of [["check", "rules", "alerts.yml"], ["test", "rules", "alerts.test.yml"], ["check", "config", "prometheus.yml"]]) {
        const run = Bun.spawnSync([promtool, ...args], { cwd: PROMETHEUS, stdout: "pipe", stderr: "pipe" });
        expect(run.exitCode, `${args.join(" ")}:\n${run.stdout}${run.stderr}`).toBe(0);
      }
    });
  });
});

describe("deploy/grafana/agentd.json", () => {
  type Panel = { id: number; type: string; title: string; targets?: { expr: string }[] };
  const dashboard = JSON.parse(read("deploy/grafana/agentd.json")) as { uid: string; panels: Panel[]; templating: { list: { name: string }[] } };
  const graphs = dashboard.panels.filter((panel) => panel.type !== "row");
  const exprs = graphs.flatMap((panel) => (panel.targets ?? []).map((target) => ({ title: panel.title, expr: target.expr })));

  test("panel ids are unique and every panel queries something", () => {
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of graphs) expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual(["datasource", "instance"]);
  });

  test("shows what the issue asks for: connections, messages by outcome, first-token p50/p95/p99, tokens, queue, breaker, rate limits, guard", () => {
    const used = new Set(exprs.flatMap(({ expr }) => agentdMetricsIn(expr)));
    for (const name of ["agentd_ws_connections", "agentd_messages_total", "agentd_llm_first_token_seconds", "agentd_llm_tokens_total", "agentd_tasks", "agentd_circuit_state", "agentd_rate_limited_total", "agentd_guard_blocked_total"]) {
      expect(used).toContain(name);
    }
    const firstToken = exprs.filter(({ expr }) => expr.includes("agentd_llm_first_token_seconds_bucket")).map(({ expr }) => expr);
    for (const quantile of ["0.5", "0.95", "0.99"]) expect(firstToken.some((expr) => expr.startsWith(`histogram_quantile(${quantile},`))).toBe(true);
  });

  test("every query uses metrics agentd exposes, filtered by the instance variable", () => {
    for (const { title, expr } of exprs) {
      for (const name of agentdMetricsIn(expr)) expect(Object.keys(METRICS), title).toContain(name);
      expect(expr, title).toContain('instance=~"$instance"');
    }
  });
});
