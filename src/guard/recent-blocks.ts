import type { Verdict } from "./input/input-guard.ts";

/** What is remembered of one blocked message until its sender reports it or the window passes. */
export interface BlockedMessage {
  userId: string;
  conversationId: string;
  clientMessageId: string;
  text: string;
  verdict: Pick<Verdict, "category" | "score" | "matches">;
  /** Epoch milliseconds. */
  blockedAt: number;
}

/**
 * Blocked messages of the last `windowMs`, in memory only, so a sender can report a false
 * positive: the text reaches the disk only if it is reported. Bounded: past `capacity` the
 * oldest entries go first. Keyed by sender, conversation and clientMessageId, so nobody can
 * report (and so reveal) another user's message.
 */
export class RecentBlocks {
  private readonly entries = new Map<string, BlockedMessage>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly capacity = 10_000,
  ) {}

  remember(block: Omit<BlockedMessage, "blockedAt">): void {
    const key = keyOf(block.userId, block.conversationId, block.clientMessageId);
    this.entries.delete(key);
    this.entries.set(key, { ...block, blockedAt: this.now() });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The blocked message, or null when there is none for this sender or its window has passed. */
  find(userId: string, conversationId: string, clientMessageId: string): BlockedMessage | null {
    this.evictExpired();
    return this.entries.get(keyOf(userId, conversationId, clientMessageId)) ?? null;
  }

  get size(): number {
    this.evictExpired();
    return this.entries.size;
  }

  private evictExpired(): void {
    const oldest = this.now() - this.windowMs;
    for (const [key, entry] of this.entries) {
      if (entry.blockedAt > oldest) break;
      this.entries.delete(key);
    }
  }
}

function keyOf(userId: string, conversationId: string, clientMessageId: string): string {
  return `${userId}\u0000${conversationId}\u0000${clientMessageId}`;
}
