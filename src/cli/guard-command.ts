import { createInputGuard } from "../app/input-guard.ts";
import { extractConfigFlag, loadConfigOrReport, type CommandIo } from "./config-command.ts";

const USAGE = `Usage: agentd guard check [--config FILE]

Reads JSON lines {"text": "..."} on standard input and writes one JSON line per input, in
order: {"blocked": bool, "action": "allow|sanitize|block", "category": string|null, "score": number}.
It uses the same configuration (guard.*) as \`agentd serve\`, so a team can measure the input
guard on its own data. A line that is not such an object gets {"error": "..."}; the exit status
is then 1. Blank lines are skipped.
`;

/** `agentd guard …`; `args` are the words after `guard`. Resolves the exit status: 0, 1 (bad input lines) or 2 (usage, config). */
export async function runGuardCommand(args: string[], io: CommandIo & { readStdin: () => Promise<string> }): Promise<number> {
  if (args.some((arg) => arg === "-h" || arg === "--help" || arg === "help")) return (io.stdout(USAGE), 0);
  const flag = extractConfigFlag(args);
  if ("error" in flag) return usageError(io, flag.error);
  const [command, ...extra] = flag.rest;
  if (command !== "check") return usageError(io, command === undefined ? "missing command" : `unknown command "${command}"`);
  if (extra.length > 0) return usageError(io, `unexpected argument "${extra[0]}"`);
  const loaded = await loadConfigOrReport({ configPath: flag.configPath, env: io.env, cwd: io.cwd }, io);
  if (!loaded) return 2;
  if (!loaded.config.guard.enabled) io.stderr("agentd guard: guard.enabled is false, so every input is allowed\n");
  const guard = createInputGuard(loaded.config.guard);

  let failed = false;
  const lines = (await io.readStdin()).split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const text = readText(line);
    if (text === null) {
      failed = true;
      io.stdout(`${JSON.stringify({ error: `line ${index + 1}: expected a JSON object with a string "text"` })}\n`);
      continue;
    }
    const verdict = guard.inspect(text);
    io.stdout(`${JSON.stringify({ blocked: verdict.action === "block", action: verdict.action, category: verdict.category, score: verdict.score })}\n`);
  }
  return failed ? 1 : 0;
}

function readText(line: string): string | null {
  try {
    const value = JSON.parse(line) as { text?: unknown } | null;
    return typeof value?.text === "string" ? value.text : null;
  } catch {
    return null;
  }
}

function usageError(io: CommandIo, problem: string): number {
  io.stderr(`agentd guard: ${problem}\n\n${USAGE}`);
  return 2;
}
