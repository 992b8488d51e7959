import type { Database } from "bun:sqlite";
import { AppError } from "../errors.ts";
import { scheduleFlush } from "../storage/group-commit.ts";
import type { ConversationEvent, UnsequencedEvent } from "../protocol/index.ts";
import type { EventLog, EventLogOptions } from "./event-log.ts";

// The log owns its tables; they live in their own file (data_dir/events.db), which may be deleted
// at any time: conversations then start a new epoch and clients reload.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS event_streams (
    conversation_id TEXT PRIMARY KEY,
    epoch TEXT NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    settled_seq INTEGER NOT NULL DEFAULT 0
  );
  -- One row per write of a conversation: its events first_seq..last_seq as a JSON array (a whole
  -- reply, mostly), appended at 'at' (the newest one's time).
  CREATE TABLE IF NOT EXISTS event_chunks (
    id INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS event_chunks_seq ON event_chunks(conversation_id, last_seq);
  CREATE INDEX IF NOT EXISTS event_chunks_at ON event_chunks(at);
  CREATE TABLE IF NOT EXISTS event_log_state (id INTEGER PRIMARY KEY CHECK (id = 1), clean INTEGER NOT NULL);`;

/** Seqs a stream may hand out before its file row says so: the most a crash can skip. */
const RESERVED_SEQS = 1_000;

/**
 * How long deltas of a reply still running may wait to be written. A reply's end writes its
 * deltas at once, so most replies are written whole in one transaction (a commit costs a page per
 * conversation it touches, whatever it holds), and only long replies are written while running,
 * each when its oldest unwritten delta is this old, spread over time rather than all at once.
 */
export const WRITE_BEHIND_MS = 5_000;
/** Streams with nothing left to write that stay in memory; the least recently used go first. */
const CACHED_STREAMS = 10_000;

interface Stream {
  epoch: string;
  lastSeq: number;
  settledSeq: number;
  /** The file says seqs up to this one may have been handed out (each write moves it ahead of `lastSeq`). */
  reservedSeq: number;
  /** Events up to this seq are dropped by the count rule (`maxPerConversation`): not resumable. */
  floorSeq: number;
  /** Appended, not yet in the file. */
  unwritten: ConversationEvent[];
  /** When the newest event was appended (the clock of `EventLogOptions`): its row's age. */
  appendedAt: number;
}

/** What a write stores as the stream's reservation. */
const reservationOf = (stream: Stream) => stream.lastSeq + RESERVED_SEQS;

const ends = (events: ConversationEvent[]) => events.some((event) => event.type === "message.end");

export interface SqliteEventLogWriting {
  /** A write failed; its events stay in memory and are tried again. */
  onWriteError?: (error: unknown) => void;
  /** Default `WRITE_BEHIND_MS`. */
  writeBehindMs?: number;
}

/**
 * The durable event log on SQLite: resume works across restarts, in the same epoch.
 *
 * Deltas are written behind: a delta is numbered and handed back at once, and written with the
 * next other event of its conversation (`message.end`, resets, tool events: written, with every
 * delta before them, before they are handed back) or within `WRITE_BEHIND_MS`, whichever comes
 * first — so a reply is mostly written in one transaction (one commit per token was the largest
 * CPU cost of streaming — BENCHMARKS.md, decision 020). Every read writes its conversation first.
 *
 * A process killed before its last write loses only deltas of replies that had not ended, and
 * those replies are run again (issue 4's recovery), starting with `message.reset`. So that no seq
 * is ever handed out twice, each stream reserves `RESERVED_SEQS` seqs in the file ahead of use; the
 * next open after an unclean stop moves every stream past its reservation. Its seqs then skip the
 * numbers that were lost: a client that saw some of them resumes from its `lastSeq` in the same
 * epoch and gets the re-run's `message.reset` next (docs/protocol.md, "Sequence numbers").
 */
export class SqliteEventLog implements EventLog {
  private readonly streams = new Map<string, Stream>();
  /** Conversations with unwritten events, by when the oldest was appended (performance.now()), oldest first. */
  private readonly unwrittenSince = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Appends waiting for their conversation to be written (see `writeSoon`). */
  private writingSoon: { conversationId: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private lastWriteSoonAt = Number.NEGATIVE_INFINITY;
  private readonly sql;
  private readonly onWriteError: (error: unknown) => void;
  private readonly writeBehindMs: number;

  constructor(
    private readonly db: Database,
    private readonly options: EventLogOptions,
    writing: SqliteEventLogWriting = {},
  ) {
    this.onWriteError = writing.onWriteError ?? (() => {});
    this.writeBehindMs = writing.writeBehindMs ?? WRITE_BEHIND_MS;
    this.sql = db.transaction(() => {
      db.exec(SCHEMA);
      const columns = db.query("SELECT name FROM pragma_table_info('event_streams')").all() as { name: string }[];
      if (!columns.some((column) => column.name === "reserved_seq")) db.exec("ALTER TABLE event_streams ADD COLUMN reserved_seq INTEGER NOT NULL DEFAULT 0");
      if (!columns.some((column) => column.name === "floor_seq")) db.exec("ALTER TABLE event_streams ADD COLUMN floor_seq INTEGER NOT NULL DEFAULT 0");
      upgradeEventRows(db);
      const state = db.query("SELECT clean FROM event_log_state WHERE id = 1").get() as { clean: number } | null;
      // The last process stopped without writing everything: skip what it may have handed out.
      if (state?.clean === 0) db.exec("UPDATE event_streams SET last_seq = reserved_seq WHERE reserved_seq > last_seq");
      db.exec("INSERT INTO event_log_state (id, clean) VALUES (1, 0) ON CONFLICT DO UPDATE SET clean = 0");
      return {
        readStream: db.prepare("SELECT epoch, last_seq, settled_seq, reserved_seq, floor_seq FROM event_streams WHERE conversation_id = ?"),
        writeStream: db.prepare(
          `INSERT INTO event_streams (conversation_id, epoch, last_seq, settled_seq, reserved_seq, floor_seq) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET last_seq = excluded.last_seq, settled_seq = excluded.settled_seq, reserved_seq = excluded.reserved_seq, floor_seq = excluded.floor_seq`,
        ),
        insert: db.prepare("INSERT INTO event_chunks (conversation_id, first_seq, last_seq, at, body) VALUES (?, ?, ?, ?, ?)"),
        trim: db.prepare("DELETE FROM event_chunks WHERE conversation_id = ? AND last_seq <= ? AND (last_seq <= ? OR at <= ?)"),
      };
    }).immediate();
  }

  async append(conversationId: string, event: UnsequencedEvent): Promise<ConversationEvent> {
    const stream = this.stream(conversationId);
    const sequenced = { ...event, seq: stream.lastSeq + 1 } as ConversationEvent;
    stream.lastSeq = sequenced.seq;
    if (sequenced.type === "message.end") stream.settledSeq = sequenced.seq;
    stream.unwritten.push(sequenced);
    stream.appendedAt = this.options.clock.now();
    this.markUnwritten(conversationId);
    if (sequenced.type !== "message.delta" || sequenced.seq > stream.reservedSeq) await this.writeSoon(conversationId);
    return sequenced;
  }

  /**
   * Writes the conversation with the others that must be written now: at once while such writes
   * are rare, else with every one of this event-loop turn in one transaction (many replies end
   * in one turn under load; the commit was most of what the log cost). Rejects when that failed.
   */
  private writeSoon(conversationId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writingSoon.push({ conversationId, resolve, reject });
      if (this.writingSoon.length === 1) scheduleFlush(this.lastWriteSoonAt, performance.now(), () => this.flushWriteSoon());
    });
  }

  private flushWriteSoon(): void {
    const waiting = this.writingSoon;
    if (waiting.length === 0) return;
    this.writingSoon = [];
    this.lastWriteSoonAt = performance.now();
    const written = this.write([...new Set(waiting.map((item) => item.conversationId))]);
    for (const item of waiting) {
      if (written) item.resolve();
      else item.reject(new AppError("storage_unavailable", "The conversation's events could not be stored. Please try again.", { retryable: true }));
    }
  }

  private markUnwritten(conversationId: string): void {
    if (this.unwrittenSince.has(conversationId)) return;
    this.unwrittenSince.set(conversationId, performance.now());
    this.timer ??= setTimeout(() => this.writeOverdue(), this.writeBehindMs);
  }

  /** Writes the conversations whose oldest unwritten event is `writeBehindMs` old, then waits for the next. */
  private writeOverdue(): void {
    this.timer = undefined;
    const due = performance.now() - this.writeBehindMs;
    const overdue: string[] = [];
    for (const [conversationId, since] of this.unwrittenSince) {
      if (since > due) break;
      overdue.push(conversationId);
    }
    this.write(overdue);
    const next = this.unwrittenSince.values().next();
    // `??=`: a failed write above has already set the retry.
    if (!next.done) this.timer ??= setTimeout(() => this.writeOverdue(), Math.max(next.value - due, 10));
  }

  /**
   * Writes the unwritten events of `conversations` (of every conversation when omitted) in one
   * transaction; false when that failed (they stay unwritten and are tried again).
   */
  private write(conversations: string[] = [...this.unwrittenSince.keys()]): boolean {
    const pending = conversations.filter((id) => this.unwrittenSince.has(id));
    if (pending.length === 0) return true;
    // A reply's end moves the floor of the count rule (`maxPerConversation`) up to where it drops.
    const floors = pending.map((id) => {
      const stream = this.streams.get(id)!;
      if (!ends(stream.unwritten)) return stream.floorSeq;
      return Math.max(stream.floorSeq, Math.min(stream.settledSeq, stream.lastSeq - this.options.maxPerConversation));
    });
    try {
      this.db.transaction(() => {
        pending.forEach((id, index) => this.writeStream(id, this.streams.get(id)!, floors[index]!));
      }).immediate();
    } catch (error) {
      // Tried again with the next overdue write (they keep their place: still the oldest).
      this.timer ??= setTimeout(() => this.writeOverdue(), this.writeBehindMs);
      this.onWriteError(error);
      return false;
    }
    pending.forEach((id, index) => {
      const stream = this.streams.get(id)!;
      stream.floorSeq = floors[index]!;
      stream.unwritten.length = 0;
      stream.reservedSeq = reservationOf(stream);
      this.unwrittenSince.delete(id);
    });
    this.evict();
    return true;
  }

  private writeStream(conversationId: string, stream: Stream, floorSeq: number): void {
    const { unwritten } = stream;
    this.sql.writeStream.run(conversationId, stream.epoch, stream.lastSeq, stream.settledSeq, reservationOf(stream), floorSeq);
    if (unwritten.length > 0) {
      const body = `[${unwritten.map((event) => JSON.stringify(event)).join(",")}]`;
      this.sql.insert.run(conversationId, unwritten[0]!.seq, unwritten.at(-1)!.seq, stream.appendedAt, body);
    }
    if (ends(unwritten)) this.sql.trim.run(conversationId, stream.settledSeq, floorSeq, this.oldest());
  }

  async readAfter(conversationId: string, afterSeq: number): Promise<ConversationEvent[] | null> {
    this.write([conversationId]);
    return this.db.transaction(() => {
      const stream = this.sql.readStream.get(conversationId) as { last_seq: number; floor_seq: number } | null;
      const lastSeq = stream?.last_seq ?? 0;
      const first = this.db.query("SELECT MIN(first_seq) AS seq FROM event_chunks WHERE conversation_id = ?").get(conversationId) as { seq: number | null };
      const firstSeq = Math.max(first.seq ?? lastSeq + 1, (stream?.floor_seq ?? 0) + 1);
      if (afterSeq > lastSeq || afterSeq < firstSeq - 1) return null;
      const rows = this.db.query("SELECT body FROM event_chunks WHERE conversation_id = ? AND last_seq > ? ORDER BY last_seq").all(conversationId, afterSeq) as { body: string }[];
      return rows.flatMap((row) => (JSON.parse(row.body) as ConversationEvent[]).filter((event) => event.seq > afterSeq));
    })();
  }

  async lastSeq(conversationId: string): Promise<number> {
    return this.stream(conversationId).lastSeq;
  }

  async settledSeq(conversationId: string): Promise<number> {
    return this.stream(conversationId).settledSeq;
  }

  async epoch(conversationId: string): Promise<string> {
    return this.stream(conversationId).epoch;
  }

  async prune(): Promise<void> {
    this.write();
    this.db
      .query(
        `DELETE FROM event_chunks WHERE at <= ?
           AND last_seq <= (SELECT settled_seq FROM event_streams s WHERE s.conversation_id = event_chunks.conversation_id)`,
      )
      .run(this.oldest());
  }

  async drop(conversationId: string): Promise<void> {
    this.streams.delete(conversationId);
    this.unwrittenSince.delete(conversationId);
    this.db.transaction(() => {
      this.db.query("DELETE FROM event_chunks WHERE conversation_id = ?").run(conversationId);
      this.db.query("DELETE FROM event_streams WHERE conversation_id = ?").run(conversationId);
    }).immediate();
  }

  async close(): Promise<void> {
    this.flushWriteSoon();
    this.write();
    if (this.unwrittenSince.size === 0) this.db.exec("UPDATE event_log_state SET clean = 1");
    clearTimeout(this.timer);
    // Unfinalized statements would keep the connection open past close(), and its log on disk.
    for (const statement of Object.values(this.sql)) statement.finalize();
    this.db.close();
  }

  /** The conversation's stream, read from the file (or begun, with a new epoch) on first use. */
  private stream(conversationId: string): Stream {
    let stream = this.streams.get(conversationId);
    if (stream) {
      // Most recently used last, so eviction drops the least recently used.
      this.streams.delete(conversationId);
      this.streams.set(conversationId, stream);
      return stream;
    }
    const row = this.sql.readStream.get(conversationId) as { epoch: string; last_seq: number; settled_seq: number; reserved_seq: number; floor_seq: number } | null;
    stream = row
      ? { epoch: row.epoch, lastSeq: row.last_seq, settledSeq: row.settled_seq, reservedSeq: row.reserved_seq, floorSeq: row.floor_seq, unwritten: [], appendedAt: 0 }
      : { epoch: Bun.randomUUIDv7(), lastSeq: 0, settledSeq: 0, reservedSeq: 0, floorSeq: 0, unwritten: [], appendedAt: this.options.clock.now() };
    this.streams.set(conversationId, stream);
    // A new epoch is written too, so the one handed out now is the one a restart reads back.
    if (!row) this.markUnwritten(conversationId);
    this.evict();
    return stream;
  }

  /** Forgets the least recently used streams past the cache's size; never one with unwritten events. */
  private evict(): void {
    for (const [conversationId, stream] of this.streams) {
      if (this.streams.size <= CACHED_STREAMS) return;
      if (stream.unwritten.length === 0) this.streams.delete(conversationId);
    }
  }

  private oldest(): number {
    return this.options.clock.now() - this.options.maxAgeMs;
  }
}

/** Files from before chunks kept one row per event (table `events`): each becomes a chunk of one. */
function upgradeEventRows(db: Database): void {
  if (!db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get()) return;
  db.exec(`INSERT INTO event_chunks (conversation_id, first_seq, last_seq, at, body)
             SELECT conversation_id, seq, seq, at, '[' || body || ']' FROM events ORDER BY conversation_id, seq;
           DROP TABLE events;`);
}
