/**
 * Time as the server's rules see it. Every time rule (rate windows, token expiry, revocation
 * checks, the provider call cap) reads and schedules through a Clock handed in by the composition
 * root, so tests drive them with a fake clock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once after `ms`; the returned function cancels it (a no-op once it ran). */
  schedule(ms: number, callback: () => void): () => void;
}

/** The real clock. Timers are unref'd: a pending rule never keeps the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(ms, callback) {
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

/** Resolves after `ms` on `clock`; rejects with the signal's reason when `signal` aborts first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => (cancel(), reject(signal!.reason));
    const cancel = clock.schedule(ms, () => (signal?.removeEventListener("abort", onAbort), resolve()));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
