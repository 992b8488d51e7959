/** A readiness check that answers within `ms`: a server that does not answer is not ready, and /readyz must not hang on it. */
export function withTimeout(check: () => Promise<string | null>, ms = 2000): () => Promise<string | null> {
  return () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms);
    });
    return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
  };
}

/** `read`'s answer, or `fallback` when it fails or takes longer than `ms` (e.g. shared state while Redis is unreachable). */
export async function readWithin<T>(read: () => Promise<T>, fallback: T, ms = 2000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([read().catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}
