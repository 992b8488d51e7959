import type { ConversationEvent, UnsequencedEvent } from "../protocol/index.ts";
import type { EventLog, EventLogOptions } from "./event-log.ts";

interface Stream {
  lastSeq: number;
  settledSeq: number;
  events: { event: ConversationEvent; at: number }[];
}

/** Keeps recent events in memory; one epoch per process, since a restart loses them. */
export class MemoryEventLog implements EventLog {
  private readonly streams = new Map<string, Stream>();
  private readonly processEpoch = Bun.randomUUIDv7();

  constructor(private readonly options: EventLogOptions) {}

  async append(conversationId: string, event: UnsequencedEvent): Promise<ConversationEvent> {
    let stream = this.streams.get(conversationId);
    if (!stream) this.streams.set(conversationId, (stream = { lastSeq: 0, settledSeq: 0, events: [] }));
    const sequenced = { ...event, seq: ++stream.lastSeq } as ConversationEvent;
    stream.events.push({ event: sequenced, at: this.options.clock.now() });
    if (sequenced.type === "message.end") {
      stream.settledSeq = sequenced.seq;
      this.trim(stream);
    }
    return sequenced;
  }

  async readAfter(conversationId: string, afterSeq: number): Promise<ConversationEvent[] | null> {
    const stream = this.streams.get(conversationId);
    const lastSeq = stream?.lastSeq ?? 0;
    const firstSeq = stream?.events[0]?.event.seq ?? lastSeq + 1;
    if (afterSeq > lastSeq || afterSeq < firstSeq - 1) return null;
    return (stream?.events ?? []).filter(({ event }) => event.seq > afterSeq).map(({ event }) => event);
  }

  async lastSeq(conversationId: string): Promise<number> {
    return this.streams.get(conversationId)?.lastSeq ?? 0;
  }

  async settledSeq(conversationId: string): Promise<number> {
    return this.streams.get(conversationId)?.settledSeq ?? 0;
  }

  async epoch(_conversationId: string): Promise<string> {
    return this.processEpoch;
  }

  async prune(): Promise<void> {
    for (const stream of this.streams.values()) this.trim(stream);
  }

  async drop(conversationId: string): Promise<void> {
    this.streams.delete(conversationId);
  }

  async close(): Promise<void> {
    this.streams.clear();
  }

  private trim(stream: Stream): void {
    const oldest = this.options.clock.now() - this.options.maxAgeMs;
    const floor = stream.lastSeq - this.options.maxPerConversation;
    let drop = 0;
    for (const { event, at } of stream.events) {
      if (event.seq > stream.settledSeq || (event.seq > floor && at > oldest)) break;
      drop++;
    }
    if (drop) stream.events.splice(0, drop);
  }
}
