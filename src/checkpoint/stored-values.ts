/**
 * The channel values a saver stored last, kept decoded, so that a conversation's next turn does not
 * parse and revive its whole history again: decoding a stored message list (JSON, then LangChain's
 * reviver, one async step per value) costs ~20 µs per message, every turn, and grows with the
 * conversation (BENCHMARKS.md, "Session 6").
 *
 * One value per channel of a thread (the newest stored), used only if the blob read now is that
 * version with the very bytes it was stored with, so a value another thread or process wrote
 * since, or a thread deleted and started again, is decoded as usual. Each value is handed out once:
 * the run that stored it has ended, and the run that takes it is its only holder (a second reader
 * decodes its own copy). LangGraph's reducers replace channel values rather than change them; but a
 * node (of an agent module) that changed a stored value in place without writing it would see that
 * change again in the next turn on this thread, where a decoding checkpointer would not.
 * Bounded by the stored bytes it keeps (decoded values take about 1.3 times as much again); the
 * least recently stored go first.
 */
export class StoredValues {
  /** By thread, namespace and channel: only the newest stored version of a channel can be read next. */
  private readonly entries = new Map<string, { version: string; bytes: Uint8Array; value: unknown }>();
  private keptBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Keeps `value`, just stored as `bytes` for version `version` of the channel `key` names (see {@link channelKey}). */
  remember(key: string, version: string, bytes: Uint8Array, value: unknown): void {
    this.forget(key);
    if (bytes.byteLength > this.maxBytes) return;
    this.entries.set(key, { version, bytes, value });
    this.keptBytes += bytes.byteLength;
    for (const [oldest] of this.entries) {
      if (this.keptBytes <= this.maxBytes) break;
      this.forget(oldest);
    }
  }

  /** The value kept for the channel if it is `version`, stored as exactly `bytes`; forgets it either way. */
  take(key: string, version: string, bytes: Uint8Array): { value: unknown } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.forget(key);
    const same = entry.version === version && Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength).equals(bytes);
    return same ? { value: entry.value } : undefined;
  }

  /** Forgets everything kept for `threadId` (it was deleted). */
  forgetThread(threadId: string): void {
    const prefix = `${threadId}\u0000`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.forget(key);
  }

  /** Stored bytes of the values kept (decoded, they take about as much again). */
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

/** The key of a channel in {@link StoredValues}. */
export const channelKey = (threadId: string, checkpointNs: string, channel: string) => `${threadId}\u0000${checkpointNs}\u0000${channel}`;
