import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface VitestJsonReport {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; assertionResults: { status: string; fullName: string }[] }[];
}

const projectRoot = join(import.meta.dir, "..", "..");

/** Runs `bun --bun vitest run --config <config>` as a child process and returns its exit code and JSON report. */
export async function runVitest(config: string, env: Record<string, string> = {}): Promise<{ exitCode: number; report: VitestJsonReport; output: string }> {
  const outputDirectory = mkdtempSync(join(tmpdir(), "agentd-vitest-report-"));
  const outputFile = join(outputDirectory, "report.json");
  try {
    const child = Bun.spawn(
      [process.execPath, "--bun", "vitest", "run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile.json=${outputFile}`],
      { cwd: projectRoot, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1", ...env } },
    );
    const [exitCode, stdout, stderr] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
    const file = Bun.file(outputFile);
    if (!(await file.exists())) throw new Error(`vitest wrote no report (exit ${exitCode})\n${stdout}\n${stderr}`);
    return { exitCode, report: (await file.json()) as VitestJsonReport, output: `${stdout}\n${stderr}` };
  } finally {
    rmSync(outputDirectory, { recursive: true, force: true });
  }
}

/** Every assertion that did not pass, as `status: full name`. */
export const notPassed = (report: VitestJsonReport) =>
  report.testResults
    .flatMap((file) => file.assertionResults)
    .filter((result) => result.status !== "passed")
    .map((result) => `${result.status}: ${result.fullName}`);
