import { join } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * LangGraph's checkpointer validation suite against the Redis hot cache in front of the Postgres
 * saver, on the Bun runtime, driven by test/postgres-checkpoint/cached-validation.test.ts (which
 * hands it TEST_POSTGRES_URL and TEST_REDIS_URL).
 */
export default defineConfig({
  test: {
    root: join(import.meta.dirname, "..", ".."),
    include: ["test/postgres-checkpoint/cached-saver.validation.vitest.ts"],
    globals: true,
    hookTimeout: 30_000,
  },
});
