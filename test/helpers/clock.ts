import type { Clock } from "../../src/clock.ts";

/** A clock that moves only when told to. */
export class FakeClock implements Clock {
  constructor(private time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Real time plus a jump the test controls: timers keep working, time rules can be skipped ahead. */
export class OffsetClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}
