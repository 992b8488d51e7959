/**
 * The one error module. Every refusal that reaches a user carries a stable `code`
 * (part of the public contract, listed in docs/protocol.md), a sentence a person can act on,
 * and whether retrying the same request may succeed.
 */

export const ERROR_CODES = {
  bad_request: { status: 400, retryable: false },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  input_blocked: { status: 422, retryable: false },
  rate_limited: { status: 429, retryable: true },
  model_not_configured: { status: 503, retryable: false },
  model_error: { status: 502, retryable: true },
  unavailable: { status: 503, retryable: true },
  conversation_busy: { status: 409, retryable: true },
  model_unavailable: { status: 503, retryable: true },
  task_timeout: { status: 504, retryable: true },
  storage_unavailable: { status: 503, retryable: true },
  redis_unavailable: { status: 503, retryable: true },
  internal: { status: 500, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  /** Overrides the code's default. */
  retryable?: boolean;
  retryAfterMs?: number;
  /** Extra machine-readable detail, safe to show to the caller. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

/** Wraps anything thrown into an AppError; unknown faults become `internal` without leaking their text. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("internal", "Something went wrong on the server. Please try again.", { cause: error });
}

/** The JSON body of every HTTP error response: `{error: {code, message}}`. */
export function errorBody(error: AppError): { error: { code: ErrorCode; message: string; retryAfterMs?: number } } {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    },
  };
}
