import { afterAll, expect, test } from "bun:test";
import { requirePostgres } from "../helpers/services.ts";
import { notPassed, runVitest } from "../helpers/vitest-run.ts";

// LangGraph's checkpointer validation suite against our Postgres saver (the official
// @langchain/langgraph-checkpoint-postgres behind an advisory-locked setup), under vitest on the
// Bun runtime like the SQLite run (see test/checkpoint/validation.test.ts). Every checkpointer gets its own schema.
const VALIDATE_SPEC_COUNT = 718;
const DELTA_HISTORY_SPEC_COUNT = 8;

const postgres = await requirePostgres();
if (postgres) {
  afterAll(() => postgres.close());
  test(
    "the Postgres checkpointer passes every spec of @langchain/langgraph-checkpoint-validation",
    async () => {
      const { exitCode, report, output } = await runVitest("test/postgres-checkpoint/vitest.config.ts", { TEST_POSTGRES_URL: postgres.url });
      if (exitCode !== 0) console.error(output);
      expect(notPassed(report)).toEqual([]);
      expect(exitCode).toBe(0);
      expect(report.success).toBe(true);
      expect(report.numFailedTests + report.numPendingTests + report.numTodoTests).toBe(0);
      expect(report.numPassedTests).toBe(report.numTotalTests);
      expect(report.numPassedTests).toBeGreaterThanOrEqual(VALIDATE_SPEC_COUNT + DELTA_HISTORY_SPEC_COUNT);
    },
    300_000,
  );
}
