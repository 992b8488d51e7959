import postgres from "postgres";
import { AppError } from "../../errors.ts";

export interface PostgresOptions {
  url: string;
  /** Schema holding agentd's tables (created by the migrations when missing). */
  schema: string;
  poolMin: number;
  poolMax: number;
  /** Default 5000. */
  connectTimeoutMs?: number;
}

/** A postgres.js pool whose connections resolve table names in `schema`. Opens no connection yet. */
export function connectPostgres(options: PostgresOptions): postgres.Sql {
  return postgres(options.url, {
    max: options.poolMax,
    // Also bounds a stall seen with postgres.js on Bun after an outage (a reconnect that sends
    // nothing): the attempt is abandoned and retried after this long.
    connect_timeout: (options.connectTimeoutMs ?? 5000) / 1000,
    // postgres.js waits 3^n/100 s (up to 20 s) before reconnecting after n failures in a row, so after
    // an outage with many refused queries the node would stay down for up to 20 s after the server
    // is back. Cap the wait at 2 s.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 2),
    onnotice: () => {},
    connection: { search_path: `"${options.schema}"`, application_name: "agentd" },
  });
}

/** Opens `count` connections at once (the pool's minimum), proving the server is reachable. */
export async function warmPool(sql: postgres.Sql, count: number): Promise<void> {
  const reserved = await Promise.all(Array.from({ length: count }, () => sql.reserve()));
  for (const connection of reserved) connection.release();
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/** Whether `error` says the server could not be reached (as opposed to a bad query). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED"].includes(code) ||
      code.startsWith("08") ||
      code === "57P03")
  );
}

/** Turns a failure to reach Postgres into `storage_unavailable` naming the server; other errors pass through. */
export function storageUnavailable(error: unknown, url: string): unknown {
  if (!isConnectionError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError("storage_unavailable", `PostgreSQL at ${redactUrl(url)} cannot be reached (${reason}). Check postgres.url and that the server is running.`, {
    cause: error,
  });
}

/** ISO-8601 text of a timestamp column (null stays null). */
export const iso = <T extends Date | null>(value: T): T extends Date ? string : string | null =>
  (value === null ? null : value.toISOString()) as T extends Date ? string : string | null;
