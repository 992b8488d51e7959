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
