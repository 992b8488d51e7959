import { join } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * LangGraph's checkpointer validation suite against the Postgres saver, on the Bun runtime
 * (`bun --bun vitest run --config <this file>`), driven by test/postgres-checkpoint/validation.test.ts,
 * which hands it the database URL in TEST_POSTGRES_URL.
 */
export default defineConfig({
  test: {
    root: join(import.meta.dirname, "..", ".."),
    include: ["test/postgres-checkpoint/postgres-saver.validation.vitest.ts"],
    globals: true,
    hookTimeout: 30_000,
  },
});
