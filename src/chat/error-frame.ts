import type { AppError } from "../errors.ts";
import type { ErrorEvent } from "../protocol/index.ts";

/** The one translation of an AppError into a WebSocket `error` frame. */
export function toErrorFrame(error: AppError, clientMessageId?: string): ErrorEvent {
  return {
    type: "error",
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    ...(clientMessageId !== undefined ? { clientMessageId } : {}),
    ...(typeof error.details?.category === "string" ? { category: error.details.category } : {}),
  };
}
