#!/usr/bin/env bun
/** The `agentd` executable. */
import { runCli } from "./cli/main.ts";

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  readStdin: () => Bun.stdin.text(),
});
process.exit(code);
