import type { EventLog } from "../events/event-log.ts";
import type { EndReason, UnsequencedEvent, Usage, WireError } from "../protocol/index.ts";
import { conversationChannel, type PubSub } from "../pubsub/pubsub.ts";
import type { TaskEvent } from "./task-events.ts";

/**
 * Numbers one reply's events in the event log and publishes them to the conversation, strictly in
 * the order they were produced. Counts the deltas shown since the last reset.
 */
export class TurnPublisher {
  private delivery = Promise.resolve();
  private shown = 0;

  constructor(
    private readonly events: EventLog,
    private readonly pubsub: PubSub,
    private readonly turn: { conversationId: string; messageId: string },
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Deltas published since the last `reset`. */
  get deltasShown(): number {
    return this.shown;
  }

  reset(): void {
    this.shown = 0;
    this.publish({ type: "message.reset", messageId: this.turn.messageId });
  }

  delta(text: string): void {
    this.shown++;
    this.publish({ type: "message.delta", messageId: this.turn.messageId, text });
  }

  /** A tool call of the reply started, finished, or waits for the member's confirmation. */
  tool(event: Extract<TaskEvent, { kind: "tool-start" | "tool-end" | "tool-confirm" }>): void {
    const messageId = this.turn.messageId;
    const { toolCallId, name } = event;
    if (event.kind === "tool-end") this.publish({ type: "tool.end", messageId, toolCallId, name, ok: event.ok, summary: event.summary });
    else this.publish({ type: event.kind === "tool-start" ? "tool.start" : "tool.confirm", messageId, toolCallId, name, args: event.args });
  }

  end(reason: EndReason, details: { usage?: Usage; error?: WireError } = {}): void {
    this.publish({ type: "message.end", messageId: this.turn.messageId, reason, usage: details.usage, error: details.error });
  }

  /** Resolves once everything published so far is in the log and on pub/sub. */
  flushed(): Promise<void> {
    return this.delivery;
  }

  private publish(event: UnsequencedEvent): void {
    const { conversationId } = this.turn;
    this.delivery = this.delivery
      .then(async () => this.pubsub.publish(conversationChannel(conversationId), await this.events.append(conversationId, event)))
      .catch(this.onError);
  }
}
