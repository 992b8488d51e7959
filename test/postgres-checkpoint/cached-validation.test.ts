import { afterAll, expect, test } from "bun:test";
import { requirePostgres, requireRedis } from "../helpers/services.ts";
import { notPassed, runVitest } from "../helpers/vitest-run.ts";

// LangGraph's checkpointer validation suite against the Redis hot cache in front of the Postgres
// saver (what every node uses with postgres.url and redis.url): the cache must not change one answer.
const VALIDATE_SPEC_COUNT = 718;
const DELTA_HISTORY_SPEC_COUNT = 8;

const postgres = await requirePostgres();
const redis = await requireRedis();
if (postgres && redis) {
  afterAll(async () => {
    await postgres.close();
    await redis.cleanup();
  });
  test(
    "the cached Postgres checkpointer passes every spec of @langchain/langgraph-checkpoint-validation",
    async () => {
      const { exitCode, report, output } = await runVitest("test/postgres-checkpoint/vitest.cached.config.ts", { TEST_POSTGRES_URL: postgres.url, TEST_REDIS_URL: redis.url });
      if (exitCode !== 0) console.error(output);
      expect(notPassed(report)).toEqual([]);
      expect(exitCode).toBe(0);
      expect(report.numFailedTests + report.numPendingTests + report.numTodoTests).toBe(0);
      expect(report.numPassedTests).toBe(report.numTotalTests);
      expect(report.numPassedTests).toBeGreaterThanOrEqual(VALIDATE_SPEC_COUNT + DELTA_HISTORY_SPEC_COUNT);
    },
    300_000,
  );
}
