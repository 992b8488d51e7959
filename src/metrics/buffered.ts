import type { MetricsRecorder, Observation } from "./recorder.ts";

/**
 * A recorder for a worker thread, which has no registry of its own: it keeps observations until
 * `drain()` hands them over, to be posted to the main thread in one message and applied there.
 * Counter increments with the same name and labels are summed, so a batch stays small.
 */
export class BufferedRecorder implements MetricsRecorder {
  private pending: Observation[] = [];
  private readonly counters = new Map<string, Observation>();

  inc(name: Observation["name"], labels: Record<string, string>, value = 1): void {
    const key = `${name}${JSON.stringify(labels)}`;
    const existing = this.counters.get(key);
    if (existing) existing.value += value;
    else {
      const observation: Observation = { op: "inc", name, labels, value };
      this.counters.set(key, observation);
      this.pending.push(observation);
    }
  }

  set(name: Observation["name"], labels: Record<string, string>, value: number): void {
    this.pending.push({ op: "set", name, labels, value });
  }

  observe(name: Observation["name"], labels: Record<string, string>, value: number): void {
    this.pending.push({ op: "observe", name, labels, value });
  }

  /** The observations since the last drain, oldest first; empties the buffer. */
  drain(): Observation[] {
    const batch = this.pending;
    this.pending = [];
    this.counters.clear();
    return batch;
  }
}
