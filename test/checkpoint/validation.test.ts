import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// LangGraph's checkpointer validation suite is written for vitest, and a few of its specs rely
// on vitest's `expect(fn).rejects`, which bun:test treats differently. So it runs under vitest
// on the Bun runtime, as a child process, and this test checks the outcome.

const projectRoot = join(import.meta.dir, "..", "..");
const VALIDATE_SPEC_COUNT = 718;

interface AssertionResult {
  status: string;
  fullName: string;
}

interface VitestJsonReport {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; assertionResults: AssertionResult[] }[];
}

test(
  "SqliteSaver passes every spec of @langchain/langgraph-checkpoint-validation, also keeping stored values decoded",
  async () => {
    const outputDirectory = mkdtempSync(join(tmpdir(), "agentd-vitest-report-"));
    const outputFile = join(outputDirectory, "report.json");
    try {
      const child = Bun.spawn(
        [
          process.execPath,
          "--bun",
          "vitest",
          "run",
          "--config",
          "test/checkpoint/vitest.config.ts",
          "--reporter=default",
          "--reporter=json",
          `--outputFile.json=${outputFile}`,
        ],
        { cwd: projectRoot, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } },
      );
      const [exitCode, stdout, stderr] = await Promise.all([
        child.exited,
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
      ]);
      if (exitCode !== 0) console.error(`vitest exited with ${exitCode}\n${stdout}\n${stderr}`);
      const reportFile = Bun.file(outputFile);
      expect(await reportFile.exists()).toBe(true);

      const report = (await reportFile.json()) as VitestJsonReport;
      const notPassed = report.testResults
        .flatMap((file) => file.assertionResults)
        .filter((result) => result.status !== "passed")
        .map((result) => `${result.status}: ${result.fullName}`);
      expect(notPassed).toEqual([]);
      expect(exitCode).toBe(0);
      expect(report.success).toBe(true);
      expect(report.numFailedTests).toBe(0);
      expect(report.numPendingTests).toBe(0);
      expect(report.numTodoTests).toBe(0);
      expect(report.numPassedTests).toBe(report.numTotalTests);

      // validate() alone must contribute all its specs, once per saver set-up (plain, and keeping
      // stored values decoded): a silently empty suite must fail here.
      const validationFile = report.testResults.find((file) => file.name.endsWith("sqlite-saver.validation.vitest.ts"));
      const validationPassed = validationFile?.assertionResults.filter((result) => result.status === "passed").length;
      expect(validationPassed).toBeGreaterThanOrEqual(2 * VALIDATE_SPEC_COUNT);
      expect(report.numPassedTests).toBeGreaterThanOrEqual(VALIDATE_SPEC_COUNT);
    } finally {
      rmSync(outputDirectory, { recursive: true, force: true });
    }
  },
  300_000,
);
