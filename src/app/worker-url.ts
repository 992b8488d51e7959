/**
 * Entries of the threads agentd starts. From source each is a file below `src/`; in the compiled
 * binary it is an extra entrypoint (scripts/build.ts), embedded under the binary's virtual root by
 * its path below `src/`.
 */
function threadEntryUrl(belowSrc: string): string {
  if (import.meta.url.includes("$bunfs")) return new URL(`./${belowSrc}.js`, Bun.main.startsWith("/") ? `file://${Bun.main}` : Bun.main).href;
  return new URL(`../${belowSrc}.ts`, import.meta.url).href;
}

/** The agent worker thread's entry. */
export const workerEntryUrl = (): string => threadEntryUrl("app/worker-main");

/** The WAL checkpoint thread's entry. */
export const walThreadUrl = (): string => threadEntryUrl("storage/sqlite/wal-thread");
