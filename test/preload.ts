/**
 * Loaded before every test file (bunfig.toml). Any outbound connection to a host other than
 * loopback goes to a recording proxy that refuses it; the suite fails if one was attempted.
 */
import { afterAll, setDefaultTimeout } from "bun:test";
import { LOOPBACK_NO_PROXY, startEgressRecorder } from "./helpers/egress.ts";

// Servers with worker threads start in well under a second, but a loaded CI machine can be slow;
// a test that hangs still fails, after 30 s instead of 5.
setDefaultTimeout(30_000);

const egress = startEgressRecorder();
for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]) process.env[name] = egress.url;
process.env.NO_PROXY = process.env.no_proxy = LOOPBACK_NO_PROXY;
// Keys from the developer's shell must never reach a test.
delete process.env.OPENAI_API_KEY;
delete process.env.AZURE_OPENAI_API_KEY;
(globalThis as { __agentdEgress?: typeof egress }).__agentdEgress = egress;

afterAll(() => {
  if (egress.attempts.length > 0) {
    const list = egress.attempts.join("\n  ");
    process.exitCode = 1;
    throw new Error(`outbound connections to hosts other than loopback were attempted:\n  ${list}`);
  }
});
