import { sleep, type Clock } from "../clock.ts";
import { durationMs, type Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { SecurityEvent, SecurityLog } from "../security/security-log.ts";
import type { RateDecision, RateLimiter, RateLimiterFactory } from "./rate-limiter.ts";

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The per-username login delay: 1 s after the limit, doubling with every further failure, at most 30 s. */
const LOGIN_DELAY_BASE_MS = 1_000;
const LOGIN_DELAY_MAX_MS = 30_000;
/** The per-username counter's ceiling: high enough never to refuse, it only counts. */
const USER_FAILURE_COUNTER = 1_000_000;

/** What a refused action tells the caller: the AppError to answer with, carrying `retryAfterMs`. */
export function rateLimited(decision: RateDecision, message: string): AppError {
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return new AppError("rate_limited", `${message} Try again in ${formatWait(seconds)}.`, {
    retryAfterMs: decision.retryAfterMs,
    details: { limit: decision.limit, resetAt: decision.resetAt },
  });
}

function formatWait(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/**
 * Every rate rule of the server with its keys, built from `limits.*` over one RateLimiter
 * implementation. Each refusal is recorded in the security log. A rule whose count is 0 is off:
 * its methods then allow everything and return null.
 */
export class RateLimits {
  private readonly messages?: RateLimiter;
  private readonly projects?: RateLimiter;
  private readonly anonymous?: RateLimiter;
  private readonly connects?: RateLimiter;
  private readonly loginByIp?: RateLimiter;
  private readonly loginByIpAndUser?: RateLimiter;
  private readonly loginByUser?: RateLimiter;
  /** The provider call cap (`limits.llm_requests_per_minute`); undefined = no cap. */
  readonly llm?: RateLimiter;
  private readonly loginFailureLimit: number;

  constructor(
    limits: Config["limits"],
    create: RateLimiterFactory,
    private readonly security: SecurityLog,
    private readonly clock: Clock,
  ) {
    const rule = (id: string, limit: number | undefined, windowMs: number) => (limit ? create({ id, limit, windowMs }) : undefined);
    const loginWindow = durationMs(limits.login_failures_window);
    this.messages = rule("messages_per_hour", limits.messages_per_hour, HOUR);
    this.projects = rule("projects_per_hour", limits.projects_per_hour, HOUR);
    this.anonymous = rule("anonymous_per_hour", limits.anonymous_per_hour, HOUR);
    this.connects = rule("connects_per_ip_per_minute", limits.connects_per_ip_per_minute, MINUTE);
    this.loginByIp = rule("login_failures", limits.login_failures, loginWindow);
    this.loginByIpAndUser = rule("login_failures_user_ip", limits.login_failures, loginWindow);
    // Per username it is a counter, never a refusal: its failures only set the delay.
    this.loginByUser = rule("login_failures_user", limits.login_failures ? USER_FAILURE_COUNTER : 0, loginWindow);
    this.loginFailureLimit = limits.login_failures;
    this.llm = rule("llm_requests_per_minute", limits.llm_requests_per_minute, MINUTE);
  }

  /** Counts one message of `userId`; throws AppError `rate_limited` over `limits.messages_per_hour`. */
  async message(userId: string, where: Omit<SecurityEvent, "kind" | "userId"> = {}): Promise<RateDecision | null> {
    return this.take(this.messages, `user:${userId}`, { userId, ...where }, "You have sent too many messages this hour.");
  }

  /** The message budget of `userId` without counting (for a repeated, already accepted send). */
  async messageBudget(userId: string): Promise<RateDecision | null> {
    return (await this.messages?.peek(`user:${userId}`)) ?? null;
  }

  /** Counts one new project of `userId`; throws AppError `rate_limited` over `limits.projects_per_hour`. */
  async project(userId: string): Promise<RateDecision | null> {
    return this.take(this.projects, `user:${userId}`, { userId }, "You have started too many projects this hour.");
  }

  /** Counts one unauthenticated request or failed socket authentication from `ip`; the decision says whether it was within the limit. */
  async anonymousFailure(ip: string): Promise<RateDecision | null> {
    return this.count(this.anonymous, `ip:${ip}`, { ip });
  }

  /** Counts one WebSocket connection attempt from `ip`. */
  async connectAttempt(ip: string): Promise<RateDecision | null> {
    return this.count(this.connects, `ip:${ip}`, { ip });
  }

  /**
   * Before checking a password: throws AppError `rate_limited` when `ip`, or `ip` with this
   * username, has used up its failures; otherwise waits the growing per-username delay (never a
   * refusal, so nobody can lock a known user out). Returns the IP's failure budget for headers.
   */
  async beforeLogin(ip: string, username: string): Promise<RateDecision | null> {
    const user = username.toLowerCase();
    for (const [limiter, key] of [[this.loginByIp, `ip:${ip}`], [this.loginByIpAndUser, `ip:${ip}:user:${user}`]] as const) {
      const state = await limiter?.peek(key);
      if (state && !state.allowed) {
        this.security.record({ kind: "rate_limit.hit", ip, ruleId: limiter!.rule.id });
        throw rateLimited(state, "Too many failed logins from your address.");
      }
    }
    const delayMs = await this.loginDelayMs(user);
    if (delayMs > 0) {
      this.security.record({ kind: "login.delayed", ip, ruleId: "login_failures_user", count: delayMs });
      await sleep(this.clock, delayMs);
    }
    return (await this.loginByIp?.peek(`ip:${ip}`)) ?? null;
  }

  /** Counts a failed login; returns the IP's failure budget after it. */
  async loginFailed(ip: string, username: string): Promise<RateDecision | null> {
    const user = username.toLowerCase();
    this.security.record({ kind: "auth.failure", ip, reason: "wrong username or password" });
    await this.loginByIpAndUser?.consume(`ip:${ip}:user:${user}`);
    await this.loginByUser?.consume(`user:${user}`);
    return (await this.loginByIp?.consume(`ip:${ip}`)) ?? null;
  }

  /** A successful login clears the failures of that IP and username pair. */
  async loginSucceeded(ip: string, username: string): Promise<void> {
    await this.loginByIpAndUser?.reset(`ip:${ip}:user:${username.toLowerCase()}`);
  }

  /** 0 up to `limits.login_failures` failures of `username` in the window; past it 1 s, doubling per failure, at most 30 s. */
  async loginDelayMs(username: string): Promise<number> {
    const state = await this.loginByUser?.peek(`user:${username.toLowerCase()}`);
    if (!state) return 0;
    const over = state.limit - state.remaining - this.loginFailureLimit;
    return over <= 0 ? 0 : Math.min(LOGIN_DELAY_BASE_MS * 2 ** Math.min(over - 1, 16), LOGIN_DELAY_MAX_MS);
  }

  private async take(limiter: RateLimiter | undefined, key: string, event: Omit<SecurityEvent, "kind">, message: string) {
    const decision = await this.count(limiter, key, event);
    if (decision && !decision.allowed) throw rateLimited(decision, message);
    return decision;
  }

  private async count(limiter: RateLimiter | undefined, key: string, event: Omit<SecurityEvent, "kind">) {
    if (!limiter) return null;
    const decision = await limiter.consume(key);
    if (!decision.allowed) this.security.record({ kind: "rate_limit.hit", ruleId: limiter.rule.id, ...event });
    return decision;
  }
}
