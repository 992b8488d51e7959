/** WebSocket close codes and what the client is expected to do on each (docs/protocol.md tables them). */
export const CloseCode = {
  /** Normal closure. Do not reconnect. */
  normal: 1000,
  /** The server is going away (restart, shutdown). Reconnect with backoff. */
  goingAway: 1001,
  /** A frame was over the hard size cap. Fix the client; reconnecting is allowed. */
  messageTooBig: 1009,
  /** Try again later: the client read too slowly (backpressure). Reconnect with ?lastSeq= to resume. */
  tryAgainLater: 1013,
  /** Not authenticated: token missing, invalid, expired, or the user is disabled. Refresh the token or log in. */
  unauthenticated: 4001,
  /** The conversation does not exist or is not yours. Do not reconnect. */
  notFound: 4004,
  /** Refused by a connection rule (too many sockets or attempts, too many failed authentications); the reason says which. Reconnect later. */
  policy: 4008,
  /** Replaced: the same user opened a newer socket over `limits.sockets_per_user`. Do not reconnect automatically. */
  replaced: 4009,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
