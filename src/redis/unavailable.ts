import { ReplyError } from "ioredis";
import { AppError } from "../errors.ts";

// Replies that mean "not now" rather than "wrong command": a restarting, read-only (failed-over),
// full or broken-cluster server.
const TRANSIENT_REPLY = /^(LOADING|READONLY|CLUSTERDOWN|MASTERDOWN|TRYAGAIN|OOM|MISCONF|BUSY|NOREPLICAS)\b/;

/**
 * What a failed Redis call becomes: a connection failure (or a server that cannot serve now)
 * turns into AppError `redis_unavailable` (HTTP 503, a retryable `error` frame); any other error
 * (a bug in a command or script) is returned as it is.
 */
export function redisFailure(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof ReplyError && !TRANSIENT_REPLY.test((error as Error).message)) return error;
  return new AppError("redis_unavailable", "The server cannot reach its shared state (Redis) right now. Please try again in a moment.", {
    cause: error,
  });
}

/** Runs a Redis call, turning connection failures into AppError `redis_unavailable`. */
export async function viaRedis<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw redisFailure(error);
  }
}
