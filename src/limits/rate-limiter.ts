/**
 * Counting actions per key in fixed windows: the one interface behind every rate rule (messages
 * per user, failed logins per IP, connects per IP, provider calls). A window opens at the first
 * counted action of a key and lasts `windowMs`; up to `limit` actions pass in it.
 *
 * The memory implementation (memory.ts) keeps the counts in this process; a shared one (Redis)
 * fills the same interface for several nodes. Either way there is one counter per key for the
 * whole node: with worker threads the limiter lives on the main thread.
 */

/** What one rule allows: `limit` actions per `windowMs`. */
export interface RateRule {
  /** Names the rule in keys, logs and errors: `messages_per_hour`, `login_failures`. */
  id: string;
  limit: number;
  windowMs: number;
}

/** The state of one key after (or without) counting an action. */
export interface RateDecision {
  /** False when the action was over the limit (and was therefore not allowed). */
  allowed: boolean;
  limit: number;
  /** Actions still allowed in the current window. */
  remaining: number;
  /** When the current window ends (ms since the epoch); now when the key has no window. */
  resetAt: number;
  /** 0 when allowed; otherwise how long until an action may pass again. */
  retryAfterMs: number;
}

export interface RateLimiter {
  readonly rule: RateRule;
  /**
   * Counts `points` actions for `key` and says whether they were within the limit. Counting goes
   * on past the limit (refused actions count), so a client hammering a full window stays refused.
   * Atomic per key: concurrent calls never both take the last slot.
   */
  consume(key: string, points?: number): Promise<RateDecision>;
  /** The key's state without counting anything. */
  peek(key: string): Promise<RateDecision>;
  /** Forgets the key (its window starts afresh at the next action). */
  reset(key: string): Promise<void>;
}

/** Builds the limiter of one rule; the composition root picks the implementation. */
export type RateLimiterFactory = (rule: RateRule) => RateLimiter;
