import type { ClientMessage, ServerMessage, SessionReady } from "../../src/protocol/index.ts";
import type { ChatClientEvents } from "./chat-client-events.ts";
import { ChatConnection } from "./chat-connection.ts";
import type { ConnectionStatus } from "./connection-status.ts";
import { Emitter } from "./emitter.ts";
import { messageSendFrame, SendRefusedError } from "./outgoing-frames.ts";
import { randomId } from "./random-id.ts";
import { withResumePosition, type ResumePosition } from "./resume-url.ts";
import type { Timers } from "./timers.ts";
import type { WebSocketConstructor } from "./web-socket-like.ts";

export type { ChatClientEvents, ReadyEvent } from "./chat-client-events.ts";
export {
  CONNECT_TIMEOUT_MS,
  HEARTBEAT_INTERVAL_MS,
  OFFLINE_AFTER_ATTEMPTS,
  POLICY_RETRY_MS,
  PONG_TIMEOUT_MS,
} from "./chat-connection.ts";
export type { ConnectionStatus, OfflineReason } from "./connection-status.ts";
export { SendRefusedError, type SendRefusal } from "./outgoing-frames.ts";
export type { ResumePosition } from "./resume-url.ts";
export type { Timers } from "./timers.ts";
export type { WebSocketConstructor, WebSocketLike } from "./web-socket-like.ts";

// The chat protocol over one conversation's socket (`/ws/chat/:conversationId`). No Preact here:
// the UI subscribes to its events. The connection lifecycle lives in chat-connection.ts.

export interface ChatClientOptions {
  /** Full `ws:`/`wss:` URL of `/ws/chat/:conversationId`; a function is asked again before each attempt. */
  url: string | (() => string);
  /**
   * Where the first socket resumes: the `epoch` and `lastSeq` of `GET /api/conversations/:id`,
   * so a reply still running is replayed from its start. Later sockets resume where the last left off.
   */
  resumeFrom?: ResumePosition;
  WebSocketImpl?: WebSocketConstructor;
  timers?: Timers;
  /** Called once after a 4001 close; resolves true when the session cookie was renewed. */
  refreshToken?: () => Promise<boolean>;
  /** Source of jitter for the reconnect backoff; defaults to Math.random. */
  random?: () => number;
  /** Source of `clientMessageId`s; defaults to a random UUID. */
  createId?: () => string;
}

/**
 * One conversation's chat socket. Every socket asks to resume after the last event applied
 * (`?lastSeq=&epoch=`, from `resumeFrom` before the first `session.ready`), so the server sends
 * exactly what was missed; a conversation event whose `seq` was already applied is dropped, so
 * nothing is shown twice. Commands throw `SendRefusedError` when the socket is not live.
 */
export class ChatClient {
  private readonly connection: ChatConnection;
  private readonly events = new Emitter<ChatClientEvents>();
  private readonly createId: () => string;
  private position: ResumePosition | null;
  /** `auth.refresh` frames not answered yet on the current socket. */
  private authRefreshes = 0;

  constructor(options: ChatClientOptions) {
    const url = options.url;
    this.position = options.resumeFrom ? { ...options.resumeFrom } : null;
    this.createId = options.createId ?? randomId;
    this.connection = new ChatConnection({
      url: () => withResumePosition(typeof url === "string" ? url : url(), this.position),
      WebSocketImpl: options.WebSocketImpl,
      timers: options.timers,
      refreshToken: options.refreshToken,
      random: options.random,
    });
    this.connection.on("status", (status) => {
      if (status.state !== "live") this.authRefreshes = 0;
      this.events.emit("status", status);
    });
    this.connection.on("frame", (frame) => this.dispatch(frame));
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ChatClientEvents>(type: K, listener: (event: ChatClientEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  get status(): ConnectionStatus {
    return this.connection.status;
  }

  /** Limits from the last `session.ready`; null before the first one. */
  get limits(): SessionReady["limits"] | null {
    return this.connection.session?.limits ?? null;
  }

  /** Epoch of the event history `lastSeq` belongs to; null before a position is known. */
  get epoch(): string | null {
    return this.position?.epoch ?? null;
  }

  /** Highest conversation event seq applied (or reported by `session.ready` / `session.reset`). */
  get lastSeq(): number {
    return this.position?.lastSeq ?? 0;
  }

  /** Opens the connection. Only the first call does anything. */
  connect(): void {
    this.connection.connect();
  }

  /** Skips the remaining backoff wait and tries now (for example when the browser comes back online). */
  reconnectNow(): void {
    this.connection.reconnectNow();
  }

  /** Closes for good: no reconnect, every timer cleared, every listener removed (after a final `closed` status). */
  close(): void {
    this.connection.close();
    this.events.clear();
  }

  /**
   * Sends a message and returns its `clientMessageId`.
   * @throws SendRefusedError when not live, when `content` is empty, or when it is over
   *   `limits.maxMessageChars` code points (or the frame over `limits.maxFrameBytes` bytes).
   */
  send(content: string, clientMessageId: string = this.createId()): string {
    const session = this.connection.session;
    if (this.connection.status.state !== "live" || !session) throw new SendRefusedError("not_connected", "Not connected. The message was not sent.");
    this.connection.send(messageSendFrame(content, clientMessageId, session.limits));
    return clientMessageId;
  }

  /** Stops the reply of task `taskId` (`message.cancel`). */
  cancel(taskId: string): void {
    this.sendFrame({ type: "message.cancel", taskId });
  }

  /** Lets the paused tool call run (`tool.approve`). */
  approve(toolCallId: string): void {
    this.sendFrame({ type: "tool.approve", toolCallId });
  }

  /** Refuses the paused tool call (`tool.reject`), with an optional reason (at most 500 characters). */
  reject(toolCallId: string, reason?: string): void {
    const trimmed = [...(reason?.trim() ?? "")].slice(0, 500).join("");
    this.sendFrame({ type: "tool.reject", toolCallId, ...(trimmed ? { reason: trimmed } : {}) });
  }

  /** "Blocked in error?": reports a message of ours refused with `input_blocked` (`guard.report`). */
  report(clientMessageId: string): void {
    this.sendFrame({ type: "guard.report", clientMessageId });
  }

  /**
   * Hands the live socket a newer access token (`auth.refresh`), so the server does not close it
   * when the old one expires. False when no socket is live (the next one uses the new cookie).
   */
  refreshAuth(token: string): boolean {
    if (this.connection.status.state !== "live") return false;
    this.sendFrame({ type: "auth.refresh", token });
    this.authRefreshes++;
    return true;
  }

  private sendFrame(frame: Exclude<ClientMessage, { type: "message.send" }>): void {
    this.connection.send(JSON.stringify(frame));
  }

  private dispatch(message: ServerMessage): void {
    switch (message.type) {
      case "session.ready": {
        const resumed = this.position !== null;
        // The socket's events start after session.lastSeq: our own position when the server could
        // resume it, else the last reply that ended (and a session.reset follows).
        this.position = { epoch: message.epoch, lastSeq: message.lastSeq };
        return this.events.emit("ready", { session: message, resumed });
      }
      case "session.reset":
        this.position = { epoch: message.epoch, lastSeq: message.lastSeq };
        return this.events.emit("reset", message);
      case "message.accepted":
        return this.events.emit("accepted", message);
      case "message.delta":
        if (this.applySeq(message.seq)) this.events.emit("delta", message);
        return;
      case "message.end":
        if (this.applySeq(message.seq)) this.events.emit("end", message);
        return;
      case "message.reset":
        if (this.applySeq(message.seq)) this.events.emit("messageReset", message);
        return;
      case "tool.start":
      case "tool.end":
      case "tool.confirm":
        if (this.applySeq(message.seq)) this.events.emit("tool", message);
        return;
      case "error":
        // A refused auth.refresh is `unauthorized` about no message: the socket keeps its old expiry.
        if (message.code === "unauthorized" && message.clientMessageId === undefined && this.authRefreshes > 0) {
          this.authRefreshes--;
          return this.events.emit("authRefreshFailed", message);
        }
        return this.events.emit("error", message);
      case "auth.refreshed":
        this.authRefreshes = Math.max(0, this.authRefreshes - 1);
        return this.events.emit("authRefreshed", message);
      case "guard.reported":
        return this.events.emit("reported", message);
      case "pong":
        return;
    }
  }

  /** Records `seq` as applied; false when it already was (a repeat that must not be shown twice). */
  private applySeq(seq: number): boolean {
    const position = this.position;
    if (!position || seq <= position.lastSeq) return false;
    position.lastSeq = seq;
    return true;
  }
}
