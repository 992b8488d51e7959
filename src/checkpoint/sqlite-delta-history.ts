import type { Database } from "bun:sqlite";
import type { DeltaChannelHistory, SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { decodeWrites } from "./sqlite-codec.ts";
import { readBlob, readCheckpointRow, readWrites, versionEntries, type BlobRow, type WriteRow } from "./sqlite-reads.ts";

/** Per channel: the writes found on the walk, one block per ancestor nearest first, and the seed. */
export type RawHistory = Map<string, { blocks: WriteRow[][]; seed?: BlobRow }>;

/**
 * Walks the parent chain of a checkpoint the way `BaseCheckpointSaver.getDeltaChannelHistory`
 * does, but reading only the requested channels instead of decoding every ancestor whole.
 * Synchronous: run it inside one read transaction so the walk sees one snapshot.
 *
 * For each channel, the walk starts at the target's parent (the target's own writes are
 * pending for the next step) and stops at the nearest ancestor holding a value for it, the
 * seed; that ancestor's own writes are still collected, since they were applied after it.
 * The target is the newest checkpoint of the thread/namespace when `checkpointId` is empty.
 */
export function readDeltaHistory(
  db: Database,
  threadId: string,
  checkpointNs: string,
  checkpointId: string,
  channels: string[],
): RawHistory {
  const history: RawHistory = new Map(channels.map((channel) => [channel, { blocks: [] }]));
  const remaining = new Set(channels);
  const visited = new Set<string>();
  let cursor = readCheckpointRow(db, threadId, checkpointNs, checkpointId)?.parent_checkpoint_id ?? null;
  while (cursor !== null && remaining.size > 0 && !visited.has(cursor)) {
    visited.add(cursor);
    const ancestor = readCheckpointRow(db, threadId, checkpointNs, cursor);
    if (ancestor === null) break;
    const versions = new Map(versionEntries(ancestor));
    for (const channel of [...remaining]) {
      const entry = history.get(channel)!;
      entry.blocks.push(readWrites(db, threadId, checkpointNs, ancestor.checkpoint_id, channel));
      const version = versions.get(channel);
      const seed = version === undefined ? null : readBlob(db, threadId, checkpointNs, channel, version);
      if (seed !== null) {
        entry.seed = seed;
        remaining.delete(channel);
      }
    }
    cursor = ancestor.parent_checkpoint_id;
  }
  return history;
}

/** Deserializes a {@link readDeltaHistory} result into LangGraph's shape. */
export async function decodeDeltaHistory(
  serde: SerializerProtocol,
  raw: RawHistory,
): Promise<Record<string, DeltaChannelHistory>> {
  const result: Record<string, DeltaChannelHistory> = {};
  for (const [channel, { blocks, seed }] of raw) {
    const oldestFirst = blocks.toReversed().flat();
    const entry: DeltaChannelHistory = { writes: await decodeWrites(serde, oldestFirst) };
    if (seed !== undefined) entry.seed = await serde.loadsTyped(seed.type, seed.blob ?? new Uint8Array());
    result[channel] = entry;
  }
  return result;
}
