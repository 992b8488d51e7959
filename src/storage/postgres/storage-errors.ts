import { storageUnavailable } from "./connect.ts";

/**
 * Wraps every method of `store` so that a failure to reach Postgres surfaces as AppError
 * `storage_unavailable` (HTTP 503, a retryable `error` frame) instead of `internal`; other errors
 * pass through unchanged. postgres.js reconnects by itself, so service resumes when the server does.
 */
export function reportUnreachable<T extends object>(store: T, url: string): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (error) {
          throw storageUnavailable(error, url);
        }
      };
    },
  });
}
