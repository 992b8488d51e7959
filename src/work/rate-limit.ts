import type { Clock } from "../clock.ts";

/** A token bucket: up to `perMinute` at once, refilled evenly over a minute. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {
    this.tokens = perMinute;
    this.updatedAt = clock.now();
  }

  /** Milliseconds until a token is available (0 = now). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) * (60_000 / this.perMinute));
  }

  /** Takes a token; call only when `waitMs()` said 0. */
  take(): void {
    this.refill();
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.updatedAt) * this.perMinute) / 60_000);
    this.updatedAt = now;
  }
}
