import type { Clock } from "../clock.ts";
import type { BreakerOptions, BreakerPermit, BreakerSnapshot, CallOutcome, CircuitBreakers } from "./breaker.ts";

interface Breaker {
  state: "closed" | "open" | "half_open";
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  openedAt: number;
  trialInFlight: boolean;
}

/** A half-open breaker with its one trial out asks others to come back after this. */
const TRIAL_BUSY_MS = 1_000;

/** Breakers in this process's main thread: shared by all its worker threads, not by other nodes. */
export class MemoryCircuitBreakers implements CircuitBreakers {
  private readonly breakers = new Map<string, Breaker>();

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  async acquire(model: string): Promise<BreakerPermit> {
    const breaker = this.breaker(model);
    if (breaker.state === "closed") return { allowed: true, trial: false };
    if (breaker.state === "open") {
      const left = breaker.openedAt + this.options.openMs - this.clock.now();
      if (left > 0) return { allowed: false, retryAfterMs: left };
      breaker.state = "half_open";
      breaker.consecutiveSuccesses = 0;
      breaker.trialInFlight = false;
    }
    if (breaker.trialInFlight) return { allowed: false, retryAfterMs: TRIAL_BUSY_MS };
    breaker.trialInFlight = true;
    return { allowed: true, trial: true };
  }

  async record(model: string, outcome: CallOutcome, trial: boolean): Promise<void> {
    const breaker = this.breaker(model);
    if (trial && breaker.state === "half_open") {
      breaker.trialInFlight = false;
      if (outcome === "success" && ++breaker.consecutiveSuccesses >= this.options.successes) {
        breaker.state = "closed";
        breaker.consecutiveFailures = 0;
      }
      if (outcome === "failure") this.open(breaker);
      return;
    }
    if (breaker.state !== "closed" || outcome === "ignored") return;
    if (outcome === "success") breaker.consecutiveFailures = 0;
    else if (++breaker.consecutiveFailures >= this.options.failures) this.open(breaker);
  }

  async snapshot(): Promise<Record<string, BreakerSnapshot>> {
    const result: Record<string, BreakerSnapshot> = {};
    for (const [model, breaker] of this.breakers) {
      const left = breaker.openedAt + this.options.openMs - this.clock.now();
      const state = breaker.state === "open" && left <= 0 ? "half_open" : breaker.state;
      result[model] = {
        state,
        consecutiveFailures: breaker.consecutiveFailures,
        ...(state === "open" ? { retryAfterMs: left } : {}),
      };
    }
    return result;
  }

  private open(breaker: Breaker): void {
    breaker.state = "open";
    breaker.openedAt = this.clock.now();
    breaker.consecutiveSuccesses = 0;
  }

  private breaker(model: string): Breaker {
    let breaker = this.breakers.get(model);
    if (!breaker) {
      breaker = { state: "closed", consecutiveFailures: 0, consecutiveSuccesses: 0, openedAt: 0, trialInFlight: false };
      this.breakers.set(model, breaker);
    }
    return breaker;
  }
}
