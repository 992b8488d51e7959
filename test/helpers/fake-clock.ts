import type { Clock } from "../../src/clock.ts";

/** A clock that moves only when told: `advance` runs the timers that fall due, in order. */
export class FakeClock implements Clock {
  private timers: { at: number; seq: number; callback: () => void }[] = [];
  private seq = 0;

  constructor(private time = Date.now()) {}

  now(): number {
    return this.time;
  }

  schedule(ms: number, callback: () => void): () => void {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, callback };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((t) => t !== timer));
  }

  /** Moves time forward by `ms`, running each timer due on the way at its own time. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
      // Let promise chains started by the callback run before the next timer.
      await Bun.sleep(0);
    }
    this.time = end;
    await Bun.sleep(0);
  }

  /** Timers waiting to run. */
  get pending(): number {
    return this.timers.length;
  }
}
