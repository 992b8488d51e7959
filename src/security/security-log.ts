/**
 * The security event log: one record per auth failure, block, redaction, rate-limit hit and
 * refused connection, for an operator (or a SIEM) to watch. Records name who, from where and
 * which rule; they never carry message bodies, tokens, passwords or secrets — the fields below
 * are all there is.
 */

export type SecurityEventKind =
  /** A login with a wrong password or unknown user, a refused token, a socket without valid auth. */
  | "auth.failure"
  /** A token or login was revoked (logout, user disabled). */
  | "auth.revoked"
  /** An action was refused by a rate rule (`ruleId` names it). */
  | "rate_limit.hit"
  /** A login was slowed down because of failures for that username. */
  | "login.delayed"
  /** A WebSocket was refused or closed by a connection rule (origin, caps). */
  | "connection.refused"
  /** A user's oldest socket was closed because they opened one too many (4009). */
  | "connection.replaced"
  /** An open socket was closed because its token expired or was revoked. */
  | "connection.expired"
  /** The input guard blocked a message (`ruleId` = the pattern or category). */
  | "input.blocked"
  /** The output guard redacted a secret from a reply (`ruleId` = the kind). */
  | "output.redacted";

export interface SecurityEvent {
  kind: SecurityEventKind;
  userId?: string;
  ip?: string;
  conversationId?: string;
  /** The rule, pattern or limit that fired: `login_failures`, `sockets_per_ip`, `origin`. */
  ruleId?: string;
  /** A short fixed phrase chosen by the caller ("wrong password", "token expired"); never user text. */
  reason?: string;
  /** A count attached to the event (e.g. redactions in one reply, a delay in ms). */
  count?: number;
}

export interface SecurityLog {
  /** Records one event with the current time. Never throws: a broken log must not break serving. */
  record(event: SecurityEvent): void;
}

/** A log that drops everything (tests, tools). */
export const nullSecurityLog: SecurityLog = { record() {} };
