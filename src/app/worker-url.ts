/**
 * The worker thread's entry. From source it sits beside this file; in the compiled binary it is an
 * extra entrypoint, embedded under the binary's virtual root by its path below `src/`.
 */
export function workerEntryUrl(): string {
  if (import.meta.url.includes("$bunfs")) return new URL("./app/worker-main.js", Bun.main.startsWith("/") ? `file://${Bun.main}` : Bun.main).href;
  return new URL("./worker-main.ts", import.meta.url).href;
}
