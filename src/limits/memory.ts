import { RateLimiterRes, type RateLimiterStoreAbstract as StoreAbstract } from "rate-limiter-flexible";
// The documented base class of custom stores; the package root does not re-export it at run time.
import StoreAbstractImpl from "rate-limiter-flexible/lib/RateLimiterStoreAbstract.js";
import { systemClock, type Clock } from "../clock.ts";
import { FlexibleRateLimiter } from "./flexible.ts";
import type { RateLimiter, RateRule } from "./rate-limiter.ts";

interface Entry {
  points: number;
  expiresAt: number;
}

/** Expired windows are dropped every this many writes, so idle keys do not pile up. */
const SWEEP_EVERY = 1024;

/**
 * rate-limiter-flexible's store contract (`_upsert`/`_get`/`_delete`/`_getRateLimiterRes`, the
 * documented way to add a store) over a Map that reads time from an injected Clock. The library's
 * own RateLimiterMemory reads `Date.now()` and arms a timer per key; this store keeps the
 * library's consume/refuse logic while letting tests move time.
 */
class ClockedMemoryStore extends (StoreAbstractImpl as typeof StoreAbstract) {
  private readonly entries = new Map<string, Entry>();
  private writes = 0;

  constructor(
    rule: RateRule,
    private readonly clock: Clock,
  ) {
    super({ storeClient: {}, keyPrefix: rule.id, points: rule.limit, duration: Math.ceil(rule.windowMs / 1000) });
  }

  /** Atomic by construction: the whole read-modify-write runs synchronously on one thread. */
  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<[number, number]> {
    const now = this.clock.now();
    if (++this.writes % SWEEP_EVERY === 0) this.sweep(now);
    const current = this.entries.get(rlKey);
    if (forceExpire || !current || current.expiresAt <= now) {
      const entry = { points, expiresAt: msDuration > 0 ? now + msDuration : Number.POSITIVE_INFINITY };
      this.entries.set(rlKey, entry);
      return [entry.points, msDuration > 0 ? msDuration : -1];
    }
    current.points += points;
    return [current.points, current.expiresAt === Number.POSITIVE_INFINITY ? -1 : current.expiresAt - now];
  }

  async _get(rlKey: string): Promise<[number, number] | null> {
    const now = this.clock.now();
    const entry = this.entries.get(rlKey);
    if (!entry || entry.expiresAt <= now) return null;
    return [entry.points, entry.expiresAt === Number.POSITIVE_INFINITY ? -1 : entry.expiresAt - now];
  }

  async _delete(rlKey: string): Promise<boolean> {
    return this.entries.delete(rlKey);
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, [consumed, msLeft]: [number, number]): RateLimiterRes {
    return new RateLimiterRes(Math.max(this.points - consumed, 0), msLeft, consumed, consumed === changedPoints);
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

/** The in-process RateLimiter of one rule (single node). */
export function createMemoryRateLimiter(rule: RateRule, clock: Clock = systemClock): RateLimiter {
  return new FlexibleRateLimiter(rule, new ClockedMemoryStore(rule, clock), clock);
}
