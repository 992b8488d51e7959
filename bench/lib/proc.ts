/** The server's resource use as Linux reports it in /proc: CPU time of all its threads and resident memory. */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ); 100 on every Linux build Bun supports. */
const TICKS_PER_SECOND = 100;

export interface ProcSample {
  /** Milliseconds since the time origin of the reading process (performance.now()). */
  at: number;
  /** User + system CPU time of every thread of the process so far, in milliseconds. */
  cpuMs: number;
  /** Resident set size, in bytes. */
  rssBytes: number;
  threads: number;
}

/** Reads one sample of process `pid`; throws when it is gone. */
export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const threads = Number(fields[17]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return { at: performance.now(), cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND, rssBytes: rssKb * 1024, threads };
}

/**
 * CPU time of each thread of `pid` by thread name ("bun" is the main thread; workers and Bun's own
 * pools have their names), summed over threads of the same name, in milliseconds.
 */
export function threadCpu(pid: number): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const label = tid === String(pid) ? "main" : name;
      byName[label] = (byName[label] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return byName;
}

/** Samples `pid` every `everyMs` until stopped; keeps the peak RSS seen. */
export function watchProcess(pid: number, everyMs = 100) {
  let peakRss = 0;
  const tick = () => {
    try {
      peakRss = Math.max(peakRss, sampleProcess(pid).rssBytes);
    } catch {
      // The process ended; the caller notices through its own checks.
    }
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    get peakRssBytes() {
      return peakRss;
    },
    stop: () => clearInterval(timer),
  };
}

/** Busy and total CPU time of the whole machine so far (all cores, from /proc/stat), in milliseconds. */
export function machineCpu(): { busyMs: number; totalMs: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  // idle + iowait are not busy.
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busyMs: ((total - idle) * 1000) / TICKS_PER_SECOND, totalMs: (total * 1000) / TICKS_PER_SECOND };
}

/** The 1-minute load average: runnable threads competing for the cores (other tenants included). */
export function loadAverage(): number {
  return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
}
