/** Where time rules (leases, breakers, rate limits, event ages) read the time, so tests can move it. */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
