/** What the figures were measured on: a benchmark result is meaningless without it. */
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  bun: string;
  openFilesLimit: string;
}

export function describeMachine(): Machine {
  let openFiles = "unknown";
  try {
    openFiles = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "utf8"))?.slice(1).join(" soft, ") + " hard";
  } catch {
    // Not Linux; the field stays unknown.
  }
  return {
    cpuModel: cpus()[0]?.model ?? "unknown",
    cores: navigator.hardwareConcurrency,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    bun: Bun.version,
    openFilesLimit: openFiles,
  };
}
