import { batch, computed, signal } from "@preact/signals";
import type { MessageAccepted } from "../../../src/protocol/index.ts";
import { realTimers, type Timers } from "../timers.ts";

/** "N messages left" shows once the budget is down to this many. */
export const LOW_BUDGET = 10;

export type MessageBudget = NonNullable<MessageAccepted["rateLimit"]>;

/** "42 s", "2:05": how long until sending works again. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/**
 * The user's message budget (`limits.messages_per_hour`, from `message.accepted.rateLimit`) and,
 * after a `rate_limited` refusal, the countdown until sending works again. Shared by every
 * conversation: the budget is the user's.
 */
export function createRateLimitModel(deps: { timers?: Timers; now?: () => number } = {}) {
  const timers = deps.timers ?? realTimers;
  const now = deps.now ?? Date.now;
  const budget = signal<MessageBudget | null>(null);
  /** Whole seconds until sending works again; 0 when it does. */
  const secondsLeft = signal(0);
  let until = 0;
  let ticker: unknown = null;

  const limited = computed(() => secondsLeft.value > 0);
  /** "3 messages left this hour" when the budget is low; null otherwise. */
  const budgetNote = computed(() => {
    const current = budget.value;
    if (!current || current.remaining > LOW_BUDGET || limited.value) return null;
    return `${current.remaining} ${current.remaining === 1 ? "message" : "messages"} left this hour`;
  });
  /** "You can send again in 42 s" while limited. */
  const countdownNote = computed(() => (limited.value ? `Message limit reached. You can send again in ${formatWait(secondsLeft.value)}.` : null));

  function stopTicker(): void {
    if (ticker !== null) timers.clearInterval(ticker);
    ticker = null;
  }

  function tick(): void {
    const left = Math.max(0, Math.ceil((until - now()) / 1000));
    secondsLeft.value = left;
    if (left === 0) stopTicker();
  }

  /** A `message.accepted` carried the budget left after it. */
  function noteBudget(next: MessageBudget | undefined): void {
    if (next) budget.value = next;
  }

  /** A message was refused with `rate_limited`: sending waits `retryAfterMs`. */
  function limit(retryAfterMs: number): void {
    until = Math.max(until, now() + retryAfterMs);
    batch(() => {
      if (budget.peek()) budget.value = { ...budget.peek()!, remaining: 0 };
      tick();
    });
    if (ticker === null && secondsLeft.peek() > 0) ticker = timers.setInterval(tick, 1000);
  }

  /** Forgets everything (sign-out). */
  function reset(): void {
    stopTicker();
    until = 0;
    batch(() => {
      budget.value = null;
      secondsLeft.value = 0;
    });
  }

  return { budget, secondsLeft, limited, budgetNote, countdownNote, noteBudget, limit, reset };
}

export type RateLimitModel = ReturnType<typeof createRateLimitModel>;
