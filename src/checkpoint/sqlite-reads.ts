import type { Database, SQLQueryBindings } from "bun:sqlite";
import { compareWritesSortKeys, writesSortKey } from "@langchain/langgraph-checkpoint";

/** A `checkpoints` row as stored: the checkpoint without its channel values, serialized. */
export interface CheckpointRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  type: string;
  checkpoint: Uint8Array;
  /** JSON `{channel: version}`, a copy of the checkpoint's `channel_versions`. */
  channel_versions: string;
  /** JSON metadata. */
  metadata: string;
}

/** A serialized channel value (`checkpoint_blobs`) or pending write (`checkpoint_writes`). */
export interface BlobRow {
  channel: string;
  /** The channel version it is the value of, as stored. */
  version: string;
  type: string;
  blob: Uint8Array | null;
}

export interface WriteRow {
  task_id: string;
  idx: number;
  channel: string;
  type: string;
  blob: Uint8Array;
  task_path: string;
}

/** One checkpoint with everything needed to decode it, read from one snapshot of the file. */
export interface StoredCheckpoint {
  row: CheckpointRow;
  /** Values of the channels at the versions the checkpoint holds; `empty` markers dropped. */
  blobs: BlobRow[];
  /** Pending writes, in `writesSortKey` order. */
  writes: WriteRow[];
}

/** The `checkpoints` columns that make up a {@link CheckpointRow}. */
export const CHECKPOINT_COLUMNS =
  "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, channel_versions, metadata";

/** Reads one checkpoint row by id, or the newest of the thread/namespace when `checkpointId` is empty. */
export function readCheckpointRow(
  db: Database,
  threadId: string,
  checkpointNs: string,
  checkpointId: string,
): CheckpointRow | null {
  if (checkpointId) {
    return db
      .query<CheckpointRow, [string, string, string]>(
        `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`,
      )
      .get(threadId, checkpointNs, checkpointId);
  }
  return db
    .query<CheckpointRow, [string, string]>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ?
       ORDER BY checkpoint_id DESC LIMIT 1`,
    )
    .get(threadId, checkpointNs);
}

/** Parses the `channel_versions` column into `[channel, version-as-stored]` pairs. */
export function versionEntries(row: Pick<CheckpointRow, "channel_versions">): [string, string][] {
  const versions = JSON.parse(row.channel_versions) as Record<string, string | number>;
  return Object.entries(versions).map(([channel, version]) => [channel, String(version)]);
}

/** The stored value of `channel` at `version`, or null when there is none or it is an `empty` marker. */
export function readBlob(
  db: Database,
  threadId: string,
  checkpointNs: string,
  channel: string,
  version: string,
): BlobRow | null {
  const blob = db
    .query<BlobRow, [string, string, string, string]>(
      `SELECT channel, version, type, blob FROM checkpoint_blobs
       WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ? AND version = ?`,
    )
    .get(threadId, checkpointNs, channel, version);
  return blob === null || blob.type === "empty" ? null : blob;
}

/**
 * Pending writes of one checkpoint in `writesSortKey` order, optionally only those of one
 * channel. Sorted with LangGraph's own comparator (code-point order), not SQL collation.
 */
export function readWrites(
  db: Database,
  threadId: string,
  checkpointNs: string,
  checkpointId: string,
  channel?: string,
): WriteRow[] {
  const params: SQLQueryBindings[] = [threadId, checkpointNs, checkpointId];
  if (channel !== undefined) params.push(channel);
  const rows = db
    .query<WriteRow, SQLQueryBindings[]>(
      `SELECT task_id, idx, channel, type, blob, task_path FROM checkpoint_writes
       WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?${channel === undefined ? "" : " AND channel = ?"}`,
    )
    .all(...params);
  const key = (write: WriteRow) => writesSortKey(write.task_path, write.task_id, write.idx);
  return rows.sort((a, b) => compareWritesSortKeys(key(a), key(b)));
}

/**
 * Gathers a checkpoint row's channel values and pending writes. Call it inside the same read
 * transaction that read the row, so the three come from one snapshot.
 */
export function readStoredCheckpoint(db: Database, row: CheckpointRow): StoredCheckpoint {
  const blobs: BlobRow[] = [];
  for (const [channel, version] of versionEntries(row)) {
    const blob = readBlob(db, row.thread_id, row.checkpoint_ns, channel, version);
    if (blob !== null) blobs.push(blob);
  }
  return { row, blobs, writes: readWrites(db, row.thread_id, row.checkpoint_ns, row.checkpoint_id) };
}
