import type { Config } from "../config/schema.ts";
import { toAppError } from "../errors.ts";
import type { EventLog } from "../events/event-log.ts";
import type { GuardReportService } from "../guard/report-service.ts";
import type { ClientMessage, ConversationEvent, ServerMessage } from "../protocol/index.ts";
import { conversationChannel, type PubSub, type Unsubscribe } from "../pubsub/pubsub.ts";
import type { ConversationRecord, User } from "../storage/types.ts";
import type { ChatService } from "./chat-service.ts";
import type { Connection } from "./connection.ts";
import { toErrorFrame } from "./error-frame.ts";
import { parseClientFrame } from "./frames.ts";

export interface ChatSessionDeps {
  chat: ChatService;
  pubsub: PubSub;
  events: EventLog;
  limits: Config["limits"];
  log?: (error: unknown) => void;
  /** Takes `guard.report` frames. */
  guardReports: GuardReportService;
}

/**
 * One authenticated socket on one conversation: forwards the conversation's events to the client
 * and handles the client's frames one at a time, in arrival order.
 */
export class ChatSession {
  private unsubscribe?: Unsubscribe;
  private inbox = Promise.resolve();
  private closed = false;

  constructor(
    private readonly connection: Connection,
    private readonly user: User,
    private readonly conversation: ConversationRecord,
    private readonly deps: ChatSessionDeps,
  ) {}

  /** Subscribes to the conversation, then sends `session.ready`; events that race it follow it. */
  async open(): Promise<void> {
    const early: ConversationEvent[] = [];
    let ready = false;
    this.unsubscribe = await this.deps.pubsub.subscribe(conversationChannel(this.conversation.id), (event) => {
      if (ready) this.connection.send(event as ConversationEvent);
      else early.push(event as ConversationEvent);
    });
    if (this.closed) return void this.unsubscribe();
    const [lastSeq, epoch] = await Promise.all([
      this.deps.events.lastSeq(this.conversation.id),
      this.deps.events.epoch(this.conversation.id),
    ]);
    this.connection.send({
      type: "session.ready",
      conversationId: this.conversation.id,
      userId: this.user.id,
      epoch,
      // Events published while we were subscribing are delivered next, so lastSeq stops before them.
      lastSeq: early.length > 0 ? early[0]!.seq - 1 : lastSeq,
      limits: { maxMessageChars: this.deps.limits.max_message_chars, maxFrameBytes: this.deps.limits.max_frame_bytes },
    });
    ready = true;
    for (const event of early) this.connection.send(event);
  }

  /** Handles one raw frame; never throws — a bad frame gets an `error` frame and the socket stays usable. */
  receive(raw: string | Buffer | ArrayBuffer | Uint8Array): void {
    let message: ClientMessage;
    try {
      message = parseClientFrame(raw, this.deps.limits.max_frame_bytes);
    } catch (error) {
      const appError = toAppError(error);
      const clientMessageId = appError.details?.clientMessageId;
      this.connection.send(toErrorFrame(appError, typeof clientMessageId === "string" ? clientMessageId : undefined));
      return;
    }
    this.inbox = this.inbox.then(() => this.handle(message));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.unsubscribe?.();
  }

  private async handle(message: ClientMessage): Promise<void> {
    if (this.closed) return;
    switch (message.type) {
      case "ping":
        return this.connection.send({ type: "pong" });
      case "message.send":
        try {
          this.connection.send(await this.deps.chat.send(this.user.id, this.conversation, message));
        } catch (error) {
          const appError = toAppError(error);
          if (appError.code === "internal") this.deps.log?.(error);
          this.connection.send(toErrorFrame(appError, message.clientMessageId));
        }
        return;
      case "guard.report":
        return this.answer(message.clientMessageId, async () => {
          const report = await this.deps.guardReports.report(this.user.id, this.conversation.id, message.clientMessageId);
          return { type: "guard.reported", clientMessageId: message.clientMessageId, reportId: report.id } as const;
        });
    }
  }

  /** Sends what `work` resolves, or the error frame it throws, tagged with the message's clientMessageId. */
  private async answer(clientMessageId: string, work: () => Promise<ServerMessage>): Promise<void> {
    try {
      this.connection.send(await work());
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === "internal") this.deps.log?.(error);
      this.connection.send(toErrorFrame(appError, clientMessageId));
    }
  }
}
