import { readlinkSync, writeFileSync } from "node:fs";
import { setPriority } from "node:os";

/** The calling thread's id (Linux), from /proc/thread-self. */
const threadId = (): number => Number(readlinkSync("/proc/thread-self").split("/").at(-1));

/**
 * Lowers the scheduling priority of the calling thread alone (Linux: `setpriority` on its thread
 * id, read from /proc/thread-self), so that on a busy machine the socket thread gets the CPU before
 * the agents. Returns false where that is not possible (another OS; a nice value below the
 * current one without the privilege to lower it; a value out of range).
 */
export function niceThisThread(nice: number): boolean {
  try {
    setPriority(threadId(), nice);
    return true;
  } catch {
    return false;
  }
}

/**
 * Names the calling thread as `top -H` and /proc show it (Linux; at most 15 characters kept).
 * Returns false where that is not possible.
 */
export function nameThisThread(name: string): boolean {
  try {
    writeFileSync("/proc/thread-self/comm", name.slice(0, 15));
    return true;
  } catch {
    return false;
  }
}
