/**
 * Polls `check` until it returns something truthy (returned) or `timeoutMs` passes (throws). For
 * what the server does just after a reply's `message.end` was sent (the task's final state, its
 * usage, its log line), which a test sees a moment later.
 */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 3_000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(10);
  }
}
