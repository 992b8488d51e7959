/**
 * Runs queued jobs in order, a slice at a time (at most `maxJobs`, or `sliceMs` of work), each
 * slice in its own turn of the event loop, so the loop reads sockets and runs timers in between.
 * Worker threads report in waves (the tasks of one wave end together): handled in one go, a wave
 * of 200 replies held the socket thread for 60–100 ms, and every message that arrived meanwhile
 * waited that long for `message.accepted` (BENCHMARKS.md, "burst").
 */
export class SlicedRunner {
  private jobs: (() => void)[] = [];
  private head = 0;
  private scheduled = false;

  constructor(
    private readonly onError: (error: unknown) => void,
    private readonly maxJobs = 8,
    private readonly sliceMs = 2,
  ) {}

  /** Jobs waiting for their slice. */
  get waiting(): number {
    return this.jobs.length - this.head;
  }

  /**
   * Runs `job` at once, ahead of those waiting, its error going where theirs go: for a job that
   * nothing waiting has to come before (a reply's first words, worker-pool.ts).
   */
  runNow(job: () => void): void {
    try {
      job();
    } catch (error) {
      this.onError(error);
    }
  }

  push(job: () => void): void {
    this.jobs.push(job);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.slice());
  }

  private slice(): void {
    const end = performance.now() + this.sliceMs;
    const last = Math.min(this.jobs.length, this.head + this.maxJobs);
    while (this.head < last) {
      this.runNow(this.jobs[this.head++]!);
      if (performance.now() >= end) break;
    }
    if (this.head > 1_024) {
      this.jobs = this.jobs.slice(this.head);
      this.head = 0;
    }
    if (this.waiting > 0) setImmediate(() => this.slice());
    else {
      this.jobs.length = 0;
      this.head = 0;
      this.scheduled = false;
    }
  }
}
