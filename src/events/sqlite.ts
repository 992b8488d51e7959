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
  constructor(
    private readonly db: Database,
    private readonly options: EventLogOptions,
  ) {
    db.transaction(() => db.exec(SCHEMA)).immediate();
  }

  async append(conversationId: string, event: UnsequencedEvent): Promise<ConversationEvent> {
    return this.db
      .transaction(() => {
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
      })
      .immediate();
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
