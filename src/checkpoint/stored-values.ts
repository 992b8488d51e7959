/**
 * The channel values a saver stored last, kept decoded, so that a conversation's next turn does not
 * parse and revive its whole history again: decoding a stored message list (JSON, then LangChain's
 * reviver, one async step per value) costs ~20 µs per message, every turn, and grows with the
 * conversation (BENCHMARKS.md, "Session 6").
 *
 * A value is found by its blob's identity (thread, namespace, channel, version) and used only if the
 * blob read now has the very bytes it was stored with, so a value another thread or process wrote
 * since, or a thread deleted and started again, is decoded as usual. Each value is handed out once:
 * the run that stored it has ended, and the run that takes it is its only holder (a second reader
 * decodes its own copy). LangGraph replaces channel values rather than changing them; a node that
 * changed a stored message in place would, as with any checkpointer, not have that change stored.
 * Bounded by the stored bytes it keeps; the least recently stored go first.
 */
export class StoredValues {
  private readonly entries = new Map<string, { bytes: Uint8Array; value: unknown }>();
  private keptBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Keeps `value`, just stored as `bytes` under `key`. */
  remember(key: string, bytes: Uint8Array, value: unknown): void {
    this.forget(key);
    if (bytes.byteLength > this.maxBytes) return;
    this.entries.set(key, { bytes, value });
    this.keptBytes += bytes.byteLength;
    for (const [oldest] of this.entries) {
      if (this.keptBytes <= this.maxBytes) break;
      this.forget(oldest);
    }
  }

  /** The value kept under `key` if it was stored as exactly `bytes`, and forgets it either way. */
  take(key: string, bytes: Uint8Array): { value: unknown } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.forget(key);
    return Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength).equals(bytes) ? { value: entry.value } : undefined;
  }

  /** Bytes of the stored values kept. */
  get size(): number {
    return this.keptBytes;
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.keptBytes -= entry.bytes.byteLength;
  }
}

/** The key of a channel value in {@link StoredValues}. */
export const storedValueKey = (threadId: string, checkpointNs: string, channel: string, version: string) => `${threadId}\u0000${checkpointNs}\u0000${channel}\u0000${version}`;
