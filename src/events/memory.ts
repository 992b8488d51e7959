import type { ConversationEvent, UnsequencedEvent } from "../protocol/index.ts";
import type { EventLog } from "./event-log.ts";

/** Numbers events in memory; one epoch per process, since a restart loses the count. */
export class MemoryEventLog implements EventLog {
  private readonly lastSeqs = new Map<string, number>();
  private readonly processEpoch = Bun.randomUUIDv7();

  async append(conversationId: string, event: UnsequencedEvent): Promise<ConversationEvent> {
    const seq = (this.lastSeqs.get(conversationId) ?? 0) + 1;
    this.lastSeqs.set(conversationId, seq);
    return { ...event, seq } as ConversationEvent;
  }

  async lastSeq(conversationId: string): Promise<number> {
    return this.lastSeqs.get(conversationId) ?? 0;
  }

  async epoch(_conversationId: string): Promise<string> {
    return this.processEpoch;
  }

  async drop(conversationId: string): Promise<void> {
    this.lastSeqs.delete(conversationId);
  }

  async close(): Promise<void> {
    this.lastSeqs.clear();
  }
}
