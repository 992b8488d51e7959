export const BACKOFF_INITIAL_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;
/** Up to this fraction of a delay is taken off at random. */
export const BACKOFF_JITTER = 0.2;

/**
 * Delay before reconnect attempt `attempt` (1-based): 1 s doubling to at most 30 s, shortened by up
 * to 20 % at random so that clients dropped together (a server restart) do not return together.
 * The result lies in `[0.8 × base, base]` where base is `min(1000 × 2^(attempt-1), 30000)`.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_INITIAL_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_MS);
  return Math.round(base * (1 - BACKOFF_JITTER * random()));
}
