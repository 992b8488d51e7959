import { Database, type SQLQueryBindings } from "bun:sqlite";
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  TASKS,
  getCheckpointId,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointTuple,
  type DeltaChannelHistory,
  type PendingWrite,
  type SerializerProtocol,
} from "@langchain/langgraph-checkpoint";
import { decodeCheckpointTuple, encodeCheckpoint, encodeWrites, migratePendingSends, specialWriteIndex } from "./sqlite-codec.ts";
import { decodeDeltaHistory, readDeltaHistory } from "./sqlite-delta-history.ts";
import { readCheckpointPage, type ListCriteria, type ListCursor } from "./sqlite-list-query.ts";
import { migrateCheckpointSchema } from "./sqlite-migrations.ts";
import { readCheckpointRow, readStoredCheckpoint, readWrites, type StoredCheckpoint } from "./sqlite-reads.ts";
import { StoredValues, channelKey } from "./stored-values.ts";

/** How many checkpoints `list()` reads per query; a consumer that stops early pays for one page. */
const LIST_PAGE_SIZE = 32;

/**
 * LangGraph checkpoint saver on `bun:sqlite`.
 *
 * Channel values are stored once per channel version (like the Postgres saver), so a
 * checkpoint costs only the channels that changed in it. Safe for several connections to
 * the same file, in one process or many: reads run in a read transaction (one consistent
 * snapshot), writes in `BEGIN IMMEDIATE` so they wait on the connection's `busy_timeout`
 * instead of failing. Open the file with {@link SqliteSaver.fromPath} to get WAL and the
 * timeout set, or configure a `Database` you pass in the same way.
 *
 * The tables are created or migrated on first use; {@link SqliteSaver.setup} does it eagerly.
 *
 * With `keepStoredBytes`, the channel values it stores are also kept decoded (up to that many
 * stored bytes), and `getTuple` hands each out once instead of decoding it again: for the saver of
 * the thread that runs a conversation's turns, whose next turn starts from what the last one stored
 * (see stored-values.ts).
 */
export class SqliteSaver extends BaseCheckpointSaver {
  readonly db: Database;
  private isSetup = false;
  private readonly stored?: StoredValues;

  /** @param db an open database; the saver never closes it. */
  constructor(db: Database, serde?: SerializerProtocol, options: SqliteSaverOptions = {}) {
    super(serde);
    this.db = db;
    if (options.keepStoredBytes) this.stored = new StoredValues(options.keepStoredBytes);
  }

  /**
   * Opens (creating) the file at `path` for concurrent use: busy_timeout 5000 ms, WAL
   * journal, `synchronous = NORMAL`; `autoCheckpointPages` sets how far this connection lets the
   * log grow before it checkpoints the file itself (SQLite's default: 1,000). The caller owns the
   * returned saver's `db` and closes it.
   */
  static fromPath(path: string, serde?: SerializerProtocol, options: SqliteSaverOptions & { autoCheckpointPages?: number } = {}): SqliteSaver {
    const db = new Database(path, { create: true });
    // Timeout first: switching to WAL needs a lock another connection may hold.
    db.run("PRAGMA busy_timeout = 5000");
    db.run("PRAGMA journal_mode = WAL");
    db.run("PRAGMA synchronous = NORMAL");
    if (options.autoCheckpointPages !== undefined) db.run(`PRAGMA wal_autocheckpoint = ${Math.trunc(options.autoCheckpointPages)}`);
    return new SqliteSaver(db, serde, options);
  }

  /**
   * Creates or migrates the checkpoint tables. Idempotent and safe to run concurrently from
   * several connections; the other methods call it on first use.
   */
  setup(): void {
    if (this.isSetup) return;
    migrateCheckpointSchema(this.db);
    this.isSetup = true;
  }

  /**
   * The checkpoint named by `config.configurable.checkpoint_id` (or legacy `thread_ts`), or the
   * newest one of the thread/namespace when no id is given. Undefined when there is none or
   * the config has no `thread_id`.
   */
  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    this.setup();
    const threadId: unknown = config.configurable?.thread_id;
    if (threadId === undefined || threadId === null) return undefined;
    const checkpointNs = String(config.configurable?.checkpoint_ns ?? "");
    const stored = this.db
      .transaction(() => {
        const row = readCheckpointRow(this.db, String(threadId), checkpointNs, getCheckpointId(config));
        return row === null ? null : readStoredCheckpoint(this.db, row);
      })
      .deferred();
    return stored === null ? undefined : this.decode(stored, true);
  }

  /**
   * Checkpoints matching the config (`thread_id`, `checkpoint_ns`, `checkpoint_id`, each
   * optional) and options, newest id first. `filter` keeps checkpoints whose metadata has each
   * key equal to the given value (as JSON); `before` keeps ids below its `checkpoint_id`;
   * `limit` caps the count. Reads lazily, a page at a time.
   */
  async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    this.setup();
    const configurable = config.configurable ?? {};
    const criteria: ListCriteria = {
      threadId: optionalString(configurable.thread_id),
      checkpointNs: optionalString(configurable.checkpoint_ns),
      checkpointId: optionalString(configurable.checkpoint_id) || undefined,
      beforeId: optionalString(options?.before?.configurable?.checkpoint_id),
      metadata: Object.entries(options?.filter ?? {}).filter(([, value]) => value !== undefined),
    };
    let remaining = options?.limit === undefined ? Number.POSITIVE_INFINITY : Math.floor(options.limit);
    let cursor: ListCursor | undefined;
    while (remaining > 0) {
      const pageSize = Math.min(LIST_PAGE_SIZE, remaining);
      const page = this.db
        .transaction(() =>
          readCheckpointPage(this.db, criteria, cursor, pageSize).map((row) => readStoredCheckpoint(this.db, row)),
        )
        .deferred();
      for (const stored of page) yield await this.decode(stored);
      const last = page.at(-1);
      if (last === undefined || page.length < pageSize) return;
      cursor = last.row;
      remaining -= page.length;
    }
  }

  /**
   * Stores a checkpoint as a child of `config.configurable.checkpoint_id` (if any), with a value
   * blob for each channel in `newVersions`. Storing the same checkpoint id again replaces its
   * content and metadata but keeps its parent.
   *
   * @returns the config addressing the stored checkpoint.
   * @throws Error if `config.configurable` or its `thread_id` is missing.
   */
  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    this.setup();
    if (config.configurable === undefined) throw new Error('SqliteSaver.put: config has no "configurable" field');
    const threadId = requiredString(config.configurable.thread_id, "put", "thread_id");
    const checkpointNs = String(config.configurable.checkpoint_ns ?? "");
    const parentId = optionalString(config.configurable.checkpoint_id) || null;
    const encoded = await encodeCheckpoint(this.serde, checkpoint, metadata, newVersions);
    this.db
      .transaction(() => {
        const insertBlob = this.db.query<unknown, SQLQueryBindings[]>(
          `INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        );
        for (const blob of encoded.blobs) insertBlob.run(threadId, checkpointNs, ...blob);
        this.db
          .query<unknown, SQLQueryBindings[]>(
            `INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint,
                                      channel_versions, metadata)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET
               type = excluded.type, checkpoint = excluded.checkpoint,
               channel_versions = excluded.channel_versions, metadata = excluded.metadata`,
          )
          .run(
            threadId,
            checkpointNs,
            checkpoint.id,
            parentId,
            encoded.type,
            encoded.checkpoint,
            encoded.channelVersions,
            encoded.metadata,
          );
      })
      .immediate();
    if (this.stored) {
      for (const [channel, version, , blob] of encoded.blobs) {
        if (blob !== null) this.stored.remember(channelKey(threadId, checkpointNs, channel), version, blob, checkpoint.channel_values[channel]);
      }
    }
    return { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
  }

  /**
   * Stores the writes a task made against the checkpoint in `config`, with its `taskPath` for
   * ordering. A write already stored under the same (task, index) is kept, except writes to
   * special channels (errors, interrupts…) which replace the previous one.
   *
   * @throws Error if `config.configurable` lacks `thread_id` or `checkpoint_id`.
   */
  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ""): Promise<void> {
    this.setup();
    const threadId = requiredString(config.configurable?.thread_id, "putWrites", "thread_id");
    const checkpointId = requiredString(config.configurable?.checkpoint_id, "putWrites", "checkpoint_id");
    const checkpointNs = String(config.configurable?.checkpoint_ns ?? "");
    const allSpecial = writes.every(([channel]) => specialWriteIndex(channel) !== undefined);
    const encoded = await encodeWrites(this.serde, writes);
    this.db
      .transaction(() => {
        const insert = this.db.query<unknown, SQLQueryBindings[]>(
          `INSERT OR ${allSpecial ? "REPLACE" : "IGNORE"} INTO checkpoint_writes
             (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob, task_path)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const write of encoded) {
          insert.run(threadId, checkpointNs, checkpointId, taskId, write.idx, write.channel, write.type, write.blob, taskPath);
        }
      })
      .immediate();
  }

  /** Deletes every checkpoint, channel value and pending write of the thread, in all namespaces. */
  async deleteThread(threadId: string): Promise<void> {
    this.setup();
    this.stored?.forgetThread(threadId);
    this.db
      .transaction(() => {
        for (const table of ["checkpoint_writes", "checkpoint_blobs", "checkpoints"]) {
          this.db.query(`DELETE FROM ${table} WHERE thread_id = ?`).run(threadId);
        }
      })
      .immediate();
  }

  /**
   * Same contract as the base class (see `BaseCheckpointSaver.getDeltaChannelHistory`), but
   * reads only the requested channels of each ancestor, in one snapshot.
   */
  override async getDeltaChannelHistory(options: {
    config: RunnableConfig;
    channels: string[];
  }): Promise<Record<string, DeltaChannelHistory>> {
    this.setup();
    const { config, channels } = options;
    if (channels.length === 0) return {};
    const threadId = optionalString(config.configurable?.thread_id);
    if (threadId === undefined) return Object.fromEntries(channels.map((channel) => [channel, { writes: [] }]));
    const checkpointNs = String(config.configurable?.checkpoint_ns ?? "");
    const raw = this.db
      .transaction(() => readDeltaHistory(this.db, threadId, checkpointNs, getCheckpointId(config), channels))
      .deferred();
    return decodeDeltaHistory(this.serde, raw);
  }

  /** `reuse`: values this saver stored and kept may stand in for decoding (getTuple only: each is handed out once). */
  private async decode(stored: StoredCheckpoint, reuse = false): Promise<CheckpointTuple> {
    const { thread_id: threadId, checkpoint_ns: checkpointNs } = stored.row;
    const kept = reuse ? this.stored : undefined;
    const tuple = await decodeCheckpointTuple(
      this.serde,
      stored,
      kept && ((blob) => (blob.blob === null ? undefined : kept.take(channelKey(threadId, checkpointNs, blob.channel), blob.version, blob.blob))),
    );
    const parentId = stored.row.parent_checkpoint_id;
    if (tuple.checkpoint.v < 4 && parentId !== null) {
      const sends = readWrites(this.db, stored.row.thread_id, stored.row.checkpoint_ns, parentId, TASKS);
      await migratePendingSends(this.serde, tuple.checkpoint, sends, () => this.getNextVersion(undefined));
    }
    return tuple;
  }
}

export interface SqliteSaverOptions {
  /** Keep the values it stores decoded, up to this many stored bytes (0 or unset: none). */
  keepStoredBytes?: number;
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function requiredString(value: unknown, method: string, field: string): string {
  if (value === undefined || value === null || value === "") {
    throw new Error(`SqliteSaver.${method}: config.configurable has no "${field}"`);
  }
  return String(value);
}
