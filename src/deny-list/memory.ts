import { systemClock, type Clock } from "../clock.ts";
import type { TokenDenyList } from "./deny-list.ts";

/** Expired entries are dropped every this many denials. */
const SWEEP_EVERY = 256;

/** The deny-list of one process. */
export class MemoryTokenDenyList implements TokenDenyList {
  private readonly until = new Map<string, number>();
  private denials = 0;

  constructor(private readonly clock: Clock = systemClock) {}

  async deny(tokenId: string, expiresAt: Date): Promise<void> {
    const now = this.clock.now();
    if (++this.denials % SWEEP_EVERY === 0) {
      for (const [id, at] of this.until) if (at <= now) this.until.delete(id);
    }
    if (expiresAt.getTime() > now) this.until.set(tokenId, expiresAt.getTime());
  }

  async isDenied(tokenId: string): Promise<boolean> {
    const at = this.until.get(tokenId);
    if (at === undefined) return false;
    if (at > this.clock.now()) return true;
    this.until.delete(tokenId);
    return false;
  }

  /** Entries held (expired ones may linger until the next sweep or lookup). */
  get size(): number {
    return this.until.size;
  }
}
