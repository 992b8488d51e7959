import type { Database } from "bun:sqlite";
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
  CREATE TABLE IF NOT EXISTS events (
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS events_at ON events(at);`;

interface StreamRow {
  epoch: string;
  last_seq: number;
  settled_seq: number;
}

/** The durable event log on SQLite: resume works across restarts, in the same epoch. */
export class SqliteEventLog implements EventLog {
  private readonly pending: {
    conversationId: string;
    event: UnsequencedEvent;
    resolve: (event: ConversationEvent) => void;
    reject: (error: unknown) => void;
  }[] = [];

  constructor(
    private readonly db: Database,
    private readonly options: EventLogOptions,
  ) {
    db.transaction(() => db.exec(SCHEMA)).immediate();
  }

  /**
   * Appends go through a group commit: every append made before the next turn of the event loop
   * (with many conversations streaming, many tokens arrive per turn) is written in one transaction,
   * in call order, and each promise resolves once that transaction committed. One transaction per
   * token was the largest CPU cost of streaming (BENCHMARKS.md, "Profile of merged main").
   */
  append(conversationId: string, event: UnsequencedEvent): Promise<ConversationEvent> {
    return new Promise((resolve, reject) => {
      this.pending.push({ conversationId, event, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    let appended: ConversationEvent[];
    try {
      appended = this.db.transaction(() => batch.map((item) => this.appendOne(item.conversationId, item.event))).immediate();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => item.resolve(appended[index]!));
  }

  /** Numbers and stores one event. Call inside a write transaction. */
  private appendOne(conversationId: string, event: UnsequencedEvent): ConversationEvent {
    const stream = this.stream(conversationId);
    const sequenced = { ...event, seq: stream.last_seq + 1 } as ConversationEvent;
    const settled = sequenced.type === "message.end" ? sequenced.seq : stream.settled_seq;
    this.db.query("UPDATE event_streams SET last_seq = ?, settled_seq = ? WHERE conversation_id = ?").run(sequenced.seq, settled, conversationId);
    this.db
      .query("INSERT INTO events (conversation_id, seq, at, body) VALUES (?, ?, ?, ?)")
      .run(conversationId, sequenced.seq, this.options.clock.now(), JSON.stringify(sequenced));
    if (sequenced.type === "message.end") {
      this.db
        .query("DELETE FROM events WHERE conversation_id = ? AND seq <= ? AND (seq <= ? OR at <= ?)")
        .run(conversationId, settled, sequenced.seq - this.options.maxPerConversation, this.oldest());
    }
    return sequenced;
  }

  async readAfter(conversationId: string, afterSeq: number): Promise<ConversationEvent[] | null> {
    return this.db.transaction(() => {
      const stream = this.db.query("SELECT epoch, last_seq, settled_seq FROM event_streams WHERE conversation_id = ?").get(conversationId) as StreamRow | null;
      const lastSeq = stream?.last_seq ?? 0;
      const first = this.db.query("SELECT MIN(seq) AS seq FROM events WHERE conversation_id = ?").get(conversationId) as { seq: number | null };
      const firstSeq = first.seq ?? lastSeq + 1;
      if (afterSeq > lastSeq || afterSeq < firstSeq - 1) return null;
      const rows = this.db.query("SELECT body FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq").all(conversationId, afterSeq) as { body: string }[];
      return rows.map((row) => JSON.parse(row.body) as ConversationEvent);
    })();
  }

  async lastSeq(conversationId: string): Promise<number> {
    return (this.db.query("SELECT last_seq FROM event_streams WHERE conversation_id = ?").get(conversationId) as { last_seq: number } | null)?.last_seq ?? 0;
  }

  async settledSeq(conversationId: string): Promise<number> {
    return (this.db.query("SELECT settled_seq FROM event_streams WHERE conversation_id = ?").get(conversationId) as { settled_seq: number } | null)?.settled_seq ?? 0;
  }

  async epoch(conversationId: string): Promise<string> {
    return this.db.transaction(() => this.stream(conversationId).epoch).immediate();
  }

  async prune(): Promise<void> {
    this.db
      .query(
        `DELETE FROM events WHERE at <= ?
           AND seq <= (SELECT settled_seq FROM event_streams s WHERE s.conversation_id = events.conversation_id)`,
      )
      .run(this.oldest());
  }

  async drop(conversationId: string): Promise<void> {
    this.db.transaction(() => {
      this.db.query("DELETE FROM events WHERE conversation_id = ?").run(conversationId);
      this.db.query("DELETE FROM event_streams WHERE conversation_id = ?").run(conversationId);
    }).immediate();
  }

  async close(): Promise<void> {
    this.flush();
    this.db.close();
  }

  /** The stream's row, created with a new epoch on first use. Call inside a write transaction. */
  private stream(conversationId: string): StreamRow {
    this.db.query("INSERT INTO event_streams (conversation_id, epoch) VALUES (?, ?) ON CONFLICT DO NOTHING").run(conversationId, Bun.randomUUIDv7());
    return this.db.query("SELECT epoch, last_seq, settled_seq FROM event_streams WHERE conversation_id = ?").get(conversationId) as StreamRow;
  }

  private oldest(): number {
    return this.options.clock.now() - this.options.maxAgeMs;
  }
}
