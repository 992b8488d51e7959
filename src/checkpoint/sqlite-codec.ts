import type { RunnableConfig } from "@langchain/core/runnables";
import {
  TASKS,
  WRITES_IDX_MAP,
  maxChannelVersion,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from "@langchain/langgraph-checkpoint";
import type { BlobRow, StoredCheckpoint, WriteRow } from "./sqlite-reads.ts";

/** A checkpoint ready for the `checkpoints` and `checkpoint_blobs` tables. */
export interface EncodedCheckpoint {
  type: string;
  checkpoint: Uint8Array;
  channelVersions: string;
  metadata: string;
  /** `[channel, version, type, blob]`; type `empty` (blob null) when the channel has no value. */
  blobs: [string, string, string, Uint8Array | null][];
}

/** A pending write ready for `checkpoint_writes`. */
export interface EncodedWrite {
  idx: number;
  channel: string;
  type: string;
  blob: Uint8Array;
}

/**
 * Serializes a checkpoint for storage: the checkpoint without its channel values, plus one
 * blob for each channel in `newVersions` (the channels that changed), as the Postgres saver
 * does. Unchanged channels are found again through older blobs of the same version.
 *
 * @throws Error if the serde does not render metadata as `json` (the `list` filter queries it).
 */
export async function encodeCheckpoint(
  serde: SerializerProtocol,
  checkpoint: Checkpoint,
  metadata: CheckpointMetadata,
  newVersions: ChannelVersions,
): Promise<EncodedCheckpoint> {
  const { channel_values, ...withoutValues } = checkpoint;
  const values: Record<string, unknown> = channel_values ?? {};
  const [type, serialized] = await serde.dumpsTyped(withoutValues);
  const [metadataType, metadataBytes] = await serde.dumpsTyped(metadata);
  if (metadataType !== "json") {
    throw new Error(`SqliteSaver stores metadata as JSON; the serializer produced "${metadataType}"`);
  }
  const blobs = await Promise.all(
    Object.entries(newVersions).map(async ([channel, version]): Promise<EncodedCheckpoint["blobs"][number]> => {
      const value = Object.hasOwn(values, channel) ? values[channel] : undefined;
      if (value === undefined) return [channel, String(version), "empty", null];
      const [blobType, blob] = await serde.dumpsTyped(value);
      return [channel, String(version), blobType, blob];
    }),
  );
  return {
    type,
    checkpoint: serialized,
    channelVersions: JSON.stringify(checkpoint.channel_versions ?? {}),
    metadata: new TextDecoder().decode(metadataBytes),
    blobs,
  };
}

/**
 * Serializes the writes of one task. Special channels (errors, interrupts…) get their fixed
 * negative index from `WRITES_IDX_MAP` so they replace earlier ones; others keep their position.
 */
export function encodeWrites(serde: SerializerProtocol, writes: PendingWrite[]): Promise<EncodedWrite[]> {
  return Promise.all(
    writes.map(async ([channel, value], position) => {
      const [type, blob] = await serde.dumpsTyped(value);
      return { idx: specialWriteIndex(channel) ?? position, channel, type, blob };
    }),
  );
}

/** The fixed index of a special channel, or undefined for an ordinary one. */
export function specialWriteIndex(channel: string): number | undefined {
  // Object.hasOwn, not `in`: a channel named "constructor" must not hit Object.prototype.
  return Object.hasOwn(WRITES_IDX_MAP, channel) ? WRITES_IDX_MAP[channel] : undefined;
}

/** Deserializes pending writes, keeping their order. */
export function decodeWrites(serde: SerializerProtocol, rows: WriteRow[]): Promise<CheckpointPendingWrite[]> {
  return Promise.all(
    rows.map(async (row): Promise<CheckpointPendingWrite> => [
      row.task_id,
      row.channel,
      await serde.loadsTyped(row.type, row.blob),
    ]),
  );
}

/** A channel value already decoded for this blob, if one is at hand (see stored-values.ts). */
export type DecodedBlob = (blob: BlobRow) => { value: unknown } | undefined;

async function decodeBlobs(serde: SerializerProtocol, blobs: BlobRow[], decoded?: DecodedBlob): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    blobs.map(async (blob) => {
      const known = decoded?.(blob);
      return [blob.channel, known ? known.value : await serde.loadsTyped(blob.type, blob.blob ?? new Uint8Array())] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Rebuilds the tuple LangGraph expects from a stored checkpoint. */
export async function decodeCheckpointTuple(
  serde: SerializerProtocol,
  stored: StoredCheckpoint,
  decoded?: DecodedBlob,
): Promise<CheckpointTuple> {
  const { row } = stored;
  const [withoutValues, channelValues, metadata, pendingWrites] = await Promise.all([
    serde.loadsTyped(row.type, row.checkpoint) as Promise<Omit<Checkpoint, "channel_values">>,
    decodeBlobs(serde, stored.blobs, decoded),
    serde.loadsTyped("json", row.metadata) as Promise<CheckpointMetadata>,
    decodeWrites(serde, stored.writes),
  ]);
  const configFor = (checkpointId: string): RunnableConfig => ({
    configurable: { thread_id: row.thread_id, checkpoint_ns: row.checkpoint_ns, checkpoint_id: checkpointId },
  });
  const tuple: CheckpointTuple = {
    config: configFor(row.checkpoint_id),
    checkpoint: { ...withoutValues, channel_values: channelValues },
    metadata,
    pendingWrites,
  };
  if (row.parent_checkpoint_id !== null) tuple.parentConfig = configFor(row.parent_checkpoint_id);
  return tuple;
}

/**
 * Checkpoints before format v4 kept `Send`s as writes to `TASKS` on the parent; newer
 * LangGraph expects them as a channel value. Moves them there, as every upstream saver does.
 *
 * @param parentSends the parent's `TASKS` writes, in `writesSortKey` order.
 */
export async function migratePendingSends(
  serde: SerializerProtocol,
  checkpoint: Checkpoint,
  parentSends: WriteRow[],
  nextVersion: () => string | number,
): Promise<void> {
  const sends = await decodeWrites(serde, parentSends);
  const versions = Object.values(checkpoint.channel_versions);
  (checkpoint.channel_values as Record<string, unknown>)[TASKS] = sends.map((write) => write[2]);
  checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : nextVersion();
}
