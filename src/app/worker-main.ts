/** Entry of a worker thread (also an entrypoint of the compiled binary). */
import { BufferedRecorder } from "../metrics/buffered.ts";
import { serveWorkerThread } from "../work/worker-thread.ts";
import { createAgentRuntime } from "./agent-runtime.ts";

// The thread has no registry: what it records is posted to the main thread's.
const metrics = new BufferedRecorder();
serveWorkerThread(async (config, beforeProviderCall) => createAgentRuntime(config, { beforeProviderCall, metrics }), () => metrics.drain());
