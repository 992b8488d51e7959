import type { RedisClient } from "../redis/connection.ts";
import { viaRedis } from "../redis/unavailable.ts";
import type { TokenDenyList } from "./deny-list.ts";

/**
 * The deny-list shared by every node: one key per revoked token, `<prefix>deny:<tokenId>`, that
 * Redis expires at the token's own expiry (`PXAT`), so the list never outgrows the live tokens.
 * Calls while Redis is unreachable reject with AppError `redis_unavailable` (a token is never
 * taken as allowed because the list could not be read).
 */
export class RedisTokenDenyList implements TokenDenyList {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  async deny(tokenId: string, expiresAt: Date): Promise<void> {
    // An expiry already past stores nothing (Redis deletes such a key at once).
    await viaRedis(this.client.set(this.key(tokenId), "1", "PXAT", expiresAt.getTime()));
  }

  async isDenied(tokenId: string): Promise<boolean> {
    return (await viaRedis(this.client.exists(this.key(tokenId)))) === 1;
  }

  private key(tokenId: string): string {
    return `${this.prefix}deny:${tokenId}`;
  }
}
