/**
 * Access tokens revoked before they expire, by `jti`. An entry is kept until the token's own
 * expiry, after which the token is refused anyway, so the list never outgrows the tokens that
 * are still alive. The memory implementation serves one node; a shared one (Redis, with the
 * expiry as the key's TTL) fills the same interface for several.
 */
export interface TokenDenyList {
  /** Refuses the token `tokenId` from now until `expiresAt`. */
  deny(tokenId: string, expiresAt: Date): Promise<void>;
  /** True while `tokenId` is denied. */
  isDenied(tokenId: string): Promise<boolean>;
}
