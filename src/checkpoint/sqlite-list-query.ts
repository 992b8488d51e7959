import type { Database, SQLQueryBindings } from "bun:sqlite";
import { CHECKPOINT_COLUMNS, type CheckpointRow } from "./sqlite-reads.ts";

/** What `list()` selects on; an absent field does not constrain. */
export interface ListCriteria {
  threadId?: string;
  checkpointNs?: string;
  checkpointId?: string;
  /** Only checkpoints whose id sorts before this one. */
  beforeId?: string;
  /** Metadata keys that must equal these values (compared as JSON text). */
  metadata: [string, unknown][];
}

/** Position after the last row of a page; rows are ordered by (checkpoint_id, thread_id, checkpoint_ns) descending. */
export type ListCursor = Pick<CheckpointRow, "checkpoint_id" | "thread_id" | "checkpoint_ns">;

/**
 * Reads the next page of checkpoint rows matching `criteria`, newest id first, starting after
 * `cursor` (from the start when undefined). Returns at most `pageSize` rows; fewer means the
 * end was reached.
 */
export function readCheckpointPage(
  db: Database,
  criteria: ListCriteria,
  cursor: ListCursor | undefined,
  pageSize: number,
): CheckpointRow[] {
  const where: string[] = [];
  const params: SQLQueryBindings[] = [];
  const add = (clause: string, ...values: SQLQueryBindings[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (criteria.threadId !== undefined) add("thread_id = ?", criteria.threadId);
  if (criteria.checkpointNs !== undefined) add("checkpoint_ns = ?", criteria.checkpointNs);
  if (criteria.checkpointId !== undefined) add("checkpoint_id = ?", criteria.checkpointId);
  if (criteria.beforeId !== undefined) add("checkpoint_id < ?", criteria.beforeId);
  for (const [key, value] of criteria.metadata) {
    // json_each yields the key with its path already escaped (fullkey); `->` renders the
    // stored value as minified JSON, which is what JSON.stringify produces for plain values.
    add(
      `EXISTS (SELECT 1 FROM json_each(checkpoints.metadata) AS m
               WHERE m.key = ? AND (checkpoints.metadata -> m.fullkey) = ?)`,
      key,
      JSON.stringify(value),
    );
  }
  if (cursor !== undefined) {
    add("(checkpoint_id, thread_id, checkpoint_ns) < (?, ?, ?)", cursor.checkpoint_id, cursor.thread_id, cursor.checkpoint_ns);
  }
  const sql = `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints
    ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY checkpoint_id DESC, thread_id DESC, checkpoint_ns DESC
    LIMIT ?`;
  return db.query<CheckpointRow, SQLQueryBindings[]>(sql).all(...params, pageSize);
}
