import { join } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Runs LangGraph's checkpointer validation suite (written for vitest globals) against our
 * saver. Meant to run on the Bun runtime (`bun --bun vitest run --config <this file>`) so
 * that `bun:sqlite` is available; `test/checkpoint/validation.test.ts` does that from `bun test`.
 */
export default defineConfig({
  test: {
    root: join(import.meta.dirname, "..", ".."),
    include: ["test/checkpoint/**/*.vitest.ts"],
    globals: true,
  },
});
