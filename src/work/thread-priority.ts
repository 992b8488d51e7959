import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Lowers the scheduling priority of the calling thread alone (Linux: `setpriority` on its thread
 * id, read from /proc/thread-self), so that on a busy machine the socket thread gets the CPU before
 * the agents. Returns false where that is not possible (another OS; a nice value below the
 * current one without the privilege to lower it; a value out of range).
 */
export function niceThisThread(nice: number): boolean {
  try {
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").at(-1)), nice);
    return true;
  } catch {
    return false;
  }
}
