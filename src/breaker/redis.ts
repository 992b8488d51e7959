import type { RedisClient } from "../redis/connection.ts";
import { defineScript, type RedisScript } from "../redis/script.ts";
import { viaRedis } from "../redis/unavailable.ts";
import type { BreakerOptions, BreakerPermit, BreakerSnapshot, BreakerState, CallOutcome, CircuitBreakers } from "./breaker.ts";
import { ACQUIRE, RECORD, SNAPSHOT } from "./redis-scripts.ts";

export interface RedisCircuitBreakersOptions extends BreakerOptions {
  /** The command connection (shared with other parts). */
  client: RedisClient;
  /** `redis.key_prefix`: keys are `<prefix>{breakers}:…`. */
  prefix: string;
  /** How long a half-open breaker's trial call may run before another node may try (a node may die mid-trial). */
  trialLeaseMs: number;
}

/** A half-open breaker with its one trial out asks others to come back after this. */
const TRIAL_BUSY_MS = 1_000;

/**
 * The breakers shared by every node, on Redis: five failures anywhere open the model's breaker
 * everywhere, and one trial call at a time runs in the whole cluster. Times are Redis's.
 * Calls while Redis is unreachable reject with AppError `redis_unavailable`.
 */
export class RedisCircuitBreakers implements CircuitBreakers {
  private readonly scripts: Record<"acquire" | "record" | "snapshot", RedisScript>;
  private readonly base: string;

  constructor(private readonly options: RedisCircuitBreakersOptions) {
    this.base = `${options.prefix}{breakers}:`;
    this.scripts = {
      acquire: defineScript(options.client, "agentdBreakerAcquire", 2, ACQUIRE),
      record: defineScript(options.client, "agentdBreakerRecord", 2, RECORD),
      snapshot: defineScript(options.client, "agentdBreakerSnapshot", 2, SNAPSHOT),
    };
  }

  async acquire(model: string): Promise<BreakerPermit> {
    const { openMs, trialLeaseMs } = this.options;
    const [allowed, value] = (await viaRedis(this.scripts.acquire(this.keys(model), [model, openMs, trialLeaseMs, TRIAL_BUSY_MS]))) as [number, number];
    return allowed === 1 ? { allowed: true, trial: value === 1 } : { allowed: false, retryAfterMs: value };
  }

  async record(model: string, outcome: CallOutcome, trial: boolean): Promise<void> {
    const { failures, successes } = this.options;
    await viaRedis(this.scripts.record(this.keys(model), [model, outcome, trial ? 1 : 0, failures, successes]));
  }

  async snapshot(): Promise<Record<string, BreakerSnapshot>> {
    const rows = (await viaRedis(this.scripts.snapshot(this.keys(""), [`${this.base}model:`, this.options.openMs]))) as [string, BreakerState, number, number][];
    const result: Record<string, BreakerSnapshot> = {};
    for (const [model, state, consecutiveFailures, left] of rows) {
      result[model] = { state, consecutiveFailures, ...(state === "open" ? { retryAfterMs: left } : {}) };
    }
    return result;
  }

  private keys(model: string): [string, string] {
    return [`${this.base}model:${model}`, `${this.base}models`];
  }
}
