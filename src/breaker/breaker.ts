/**
 * Circuit breakers around the models, one per model, shared by every thread (and, with a shared
 * store, every node) that calls it. A call is asked for before it is made and its outcome reported
 * after; a model whose breaker is open is not called until its open window has passed.
 */
export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  /** While open: how long until trial calls are let through. */
  retryAfterMs?: number;
}

export type BreakerPermit = { allowed: true; trial: boolean } | { allowed: false; retryAfterMs: number };

/** What became of an allowed call: `ignored` (the caller's fault, or it was stopped) changes nothing. */
export type CallOutcome = "success" | "failure" | "ignored";

export interface CircuitBreakers {
  /** May `model` be called now? In HALF_OPEN one trial call at a time is allowed. */
  acquire(model: string): Promise<BreakerPermit>;
  /** Reports an allowed call's outcome; `trial` as `acquire` said. */
  record(model: string, outcome: CallOutcome, trial: boolean): Promise<void>;
  /** Every model's breaker as it is now. */
  snapshot(): Promise<Record<string, BreakerSnapshot>>;
}

export interface BreakerOptions {
  /** Consecutive failures that open a closed breaker. */
  failures: number;
  /** How long an open breaker stays open. */
  openMs: number;
  /** Consecutive successful trials that close a half-open breaker. */
  successes: number;
}

/** Whether a failed model call counts against the breaker: not a 4xx (the request's fault) other than 408/429. */
export function countsAsFailure(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}
