import type { EgressRecorder } from "./egress.ts";

/** The recorder the preload installed (every outbound attempt of this test process and its children). */
export function egressRecorder(): EgressRecorder {
  const recorder = (globalThis as { __agentdEgress?: EgressRecorder }).__agentdEgress;
  if (!recorder) throw new Error("test/preload.ts did not run: run tests with `bun test` from the repository root");
  return recorder;
}
