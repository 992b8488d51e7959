/** Entry of a worker thread (also an entrypoint of the compiled binary). */
import { serveWorkerThread } from "../work/worker-thread.ts";
import { createAgentRuntime } from "./agent-runtime.ts";

serveWorkerThread(async (config, beforeProviderCall) => createAgentRuntime(config, beforeProviderCall));
