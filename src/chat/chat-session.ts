import type { Config } from "../config/schema.ts";
import { AppError, toAppError } from "../errors.ts";
import type { EventLog } from "../events/event-log.ts";
import type { GuardReportService } from "../guard/report-service.ts";
import { CloseCode, type ClientMessage, type ConversationEvent, type ServerMessage } from "../protocol/index.ts";
import { conversationChannel, type PubSub, type Unsubscribe } from "../pubsub/pubsub.ts";
import type { ConversationRecord, User } from "../storage/types.ts";
import type { ChatService } from "./chat-service.ts";
import type { Connection } from "./connection.ts";
import { toErrorFrame } from "./error-frame.ts";
import { parseClientFrame } from "./frames.ts";
import { Outbox } from "./outbox.ts";
import type { ResumeRequest } from "./resume.ts";

export interface ChatSessionDeps {
  chat: ChatService;
  pubsub: PubSub;
  events: EventLog;
  limits: Config["limits"];
  log?: (error: unknown) => void;
  /** server.backpressure_bytes: most bytes waiting for this client before it is closed with 1013. */
  backpressureBytes?: number;
  /** Called when this client is closed with 1013 for reading too slowly. */
  onBackpressureClose?: () => void;
  /** The client's IP, for the security log. */
  clientIp?: string;
  /** `auth.refresh`: adopts a newer token and returns its expiry; throws AppError `unauthorized`. */
  refreshAuth?: (token: string) => Promise<Date>;
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
  private readonly outbox: Outbox;
  /** The seq of the last conversation event handed to the outbox. */
  private sentSeq = 0;
  /** Events that arrived while a gap is being filled from the event log. */
  private filling: ConversationEvent[] | null = null;
  /** The epoch this socket started in, and whether a check that it still holds is under way. */
  private epoch?: string;
  private checkingEpoch = false;

  constructor(
    private readonly connection: Connection,
    private readonly user: User,
    private readonly conversation: ConversationRecord,
    private readonly deps: ChatSessionDeps,
  ) {
    this.outbox = new Outbox(connection, deps.backpressureBytes ?? 1_048_576, deps.onBackpressureClose);
  }

  /**
   * Subscribes to the conversation, then sends `session.ready` and the events this socket starts
   * with: none for a fresh client; for one resuming (`resume`), exactly the events after its
   * `lastSeq`, or — when the log no longer holds them or the epoch changed — `session.reset` and
   * the events of the reply still running. Live events that race this wait their turn: none is
   * lost, repeated or sent out of order.
   */
  async open(resume?: ResumeRequest | null): Promise<void> {
    const { events } = this.deps;
    const id = this.conversation.id;
    const early: ConversationEvent[] = [];
    let live = false;
    this.unsubscribe = await this.deps.pubsub.subscribe(conversationChannel(id), (event) => {
      if (live) this.deliver(event as ConversationEvent);
      else early.push(event as ConversationEvent);
    });
    if (this.closed) return void this.unsubscribe();
    const epoch = (this.epoch = await events.epoch(id));
    let from: number;
    let replay: ConversationEvent[] = [];
    let reset = false;
    if (resume) {
      const kept = "epoch" in resume && resume.epoch === epoch ? await events.readAfter(id, resume.lastSeq) : null;
      if (kept && "lastSeq" in resume) {
        from = resume.lastSeq;
        replay = kept;
      } else {
        reset = true;
        from = await events.settledSeq(id);
        replay = (await events.readAfter(id, from)) ?? [];
      }
    } else {
      // Events published while we were subscribing are delivered next, so lastSeq stops before them.
      from = early.length > 0 ? early[0]!.seq - 1 : await events.lastSeq(id);
    }
    this.sentSeq = from;
    this.send({
      type: "session.ready",
      conversationId: id,
      userId: this.user.id,
      epoch,
      lastSeq: from,
      limits: { maxMessageChars: this.deps.limits.max_message_chars, maxFrameBytes: this.deps.limits.max_frame_bytes },
    });
    if (resume && "invalid" in resume) this.send(toErrorFrame(new AppError("bad_request", resume.invalid)));
    if (reset) this.send({ type: "session.reset", epoch, lastSeq: from });
    for (const event of replay) this.deliver(event);
    live = true;
    for (const event of early) this.deliver(event);
  }

  /** The transport can take more frames for this client. */
  drain(): void {
    this.outbox.drain();
  }

  /** Handles one raw frame; never throws — a bad frame gets an `error` frame and the socket stays usable. */
  receive(raw: string | Buffer | ArrayBuffer | Uint8Array): void {
    let message: ClientMessage;
    try {
      message = parseClientFrame(raw, this.deps.limits.max_frame_bytes);
    } catch (error) {
      const appError = toAppError(error);
      const clientMessageId = appError.details?.clientMessageId;
      this.send(toErrorFrame(appError, typeof clientMessageId === "string" ? clientMessageId : undefined));
      return;
    }
    this.inbox = this.inbox.then(() => this.handle(message));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.unsubscribe?.();
  }

  /** Sends what `act` resolves to, or its failure as an `error` frame for `clientMessageId`. */
  private async reply(act: () => Promise<ServerMessage>, clientMessageId: string): Promise<void> {
    try {
      this.send(await act());
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === "internal") this.deps.log?.(error);
      this.send(toErrorFrame(appError, clientMessageId));
    }
  }

  private async handle(message: ClientMessage): Promise<void> {
    if (this.closed) return;
    switch (message.type) {
      case "ping":
        return this.send({ type: "pong" });
      case "message.send":
        return this.reply(() => this.deps.chat.send(this.user.id, this.conversation, message, this.deps.clientIp), message.clientMessageId);
      case "tool.approve":
      case "tool.reject":
        return this.reply(() => this.deps.chat.decide(this.user.id, this.conversation, message), `tool:${message.toolCallId}`);
      case "message.cancel":
        try {
          await this.deps.chat.cancel(this.user.id, this.conversation, message.taskId);
        } catch (error) {
          const appError = toAppError(error);
          if (appError.code === "internal") this.deps.log?.(error);
          this.send(toErrorFrame(appError));
        }
        return;
      case "auth.refresh":
        try {
          if (!this.deps.refreshAuth) throw new AppError("bad_request", "This server does not take auth.refresh.");
          const expiresAt = await this.deps.refreshAuth(message.token);
          this.send({ type: "auth.refreshed", expiresAt: expiresAt.toISOString() });
        } catch (error) {
          this.send(toErrorFrame(toAppError(error)));
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

  private send(message: ServerMessage): void {
    this.outbox.send(message);
  }

  /** Hands a conversation event to the client once, in seq order; a gap is filled from the event log. */
  private deliver(event: ConversationEvent): void {
    if (this.filling) return void this.filling.push(event);
    if (event.seq <= this.sentSeq) return void this.checkEpoch();
    if (event.seq > this.sentSeq + 1) return void this.fillGap(event);
    this.sentSeq = event.seq;
    this.send(event);
  }

  /**
   * A seq seen again is usually a duplicate (a replayed event whose publish came late), but it is
   * also what a log that lost its events sends (Redis restarted empty: numbering starts over in a
   * new epoch). Then the client must resume: it gets `session.reset` and reloads the history.
   */
  private async checkEpoch(): Promise<void> {
    if (this.checkingEpoch || this.epoch === undefined) return;
    this.checkingEpoch = true;
    try {
      if ((await this.deps.events.epoch(this.conversation.id)) !== this.epoch) {
        this.connection.close(CloseCode.tryAgainLater, "the event history restarted; resume with lastSeq");
      }
    } catch (error) {
      this.deps.log?.(error);
    } finally {
      this.checkingEpoch = false;
    }
  }

  private async fillGap(first: ConversationEvent): Promise<void> {
    this.filling = [first];
    let missing: ConversationEvent[] | null = null;
    try {
      missing = await this.deps.events.readAfter(this.conversation.id, this.sentSeq);
    } catch (error) {
      this.deps.log?.(error);
    }
    const waiting = this.filling;
    this.filling = null;
    // The log lost them too: the client reconnects and resumes (or reloads on session.reset).
    if (!missing) return this.connection.close(CloseCode.tryAgainLater, "events missed; resume with lastSeq");
    // Numbers the log skipped (it restarted after a crash) were never delivered: move past them.
    const next = missing[0] ?? waiting[0]!;
    if (next.seq > this.sentSeq + 1) this.sentSeq = next.seq - 1;
    for (const event of [...missing, ...waiting]) this.deliver(event);
  }
}
