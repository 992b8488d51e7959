import type {
  ErrorEvent,
  MessageAccepted,
  MessageDelta,
  MessageEnd,
  MessageSend,
  ServerMessage,
  SessionReady,
} from "../../src/protocol/index.ts";
import { CloseCode } from "../../src/protocol/close-codes.ts";
import { backoffDelay } from "./backoff.ts";
import { codePointLength } from "./code-points.ts";
import { Emitter } from "./emitter.ts";
import { randomId } from "./random-id.ts";
import { parseServerFrame } from "./server-frames.ts";
import { realTimers, type Timers } from "./timers.ts";
import type { WebSocketConstructor, WebSocketLike } from "./web-socket-like.ts";

export type { Timers } from "./timers.ts";
export type { WebSocketConstructor, WebSocketLike } from "./web-socket-like.ts";

// A WebSocket client for `/ws/chat/:conversationId`. No Preact here: the UI subscribes to its events.

export const HEARTBEAT_INTERVAL_MS = 30_000;
export const PONG_TIMEOUT_MS = 60_000;
export const CONNECT_TIMEOUT_MS = 10_000;
/** After this many failed reconnect attempts in a row the client reports "offline" (and keeps trying every 30 s). */
export const OFFLINE_AFTER_ATTEMPTS = 5;

/**
 * Close codes that later server capabilities add (docs/protocol.md names them); the client already
 * acts on them. 1013 (try again later) needs nothing special: it reconnects with backoff.
 */
export const REPLACED_CLOSE_CODE = 4009;
export const POLICY_CLOSE_CODE = 4008;
/** After a 4008 (a connection rule said no), the next attempt waits at least this long. */
export const POLICY_RETRY_MS = 60_000;

/** `WebSocket.OPEN`, spelled out because a substitute class need not define it. */
const OPEN = 1;

export interface ChatClientOptions {
  /** Full `ws:`/`wss:` URL of `/ws/chat/:conversationId`; a function is asked again before each attempt. */
  url: string | (() => string);
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
 * Why the client is offline. `unreachable`: 5 attempts in a row failed, and it still tries every
 * 30 s; `refused`: a connection rule of the server said no (4008), and it tries again after a
 * minute or more; every other reason waits for `reconnectNow()` (or, for `not_found`, for
 * nothing). `replaced`: the user opened a newer socket elsewhere (4009).
 */
export type OfflineReason = "not_found" | "unauthenticated" | "closed_by_server" | "unreachable" | "replaced" | "refused";

export type ConnectionStatus =
  | { state: "idle" }
  | { state: "connecting" }
  | { state: "live" }
  /** Waiting for, or making, reconnect attempt `attempt` (1-based). */
  | { state: "reconnecting"; attempt: number }
  | { state: "offline"; reason: OfflineReason }
  /** `close()` was called; terminal. */
  | { state: "closed" };

export interface ReadyEvent {
  session: SessionReady;
  /**
   * True when conversation events were sent while this client was not listening (a reconnect
   * found a higher `lastSeq`, or the event history changed epoch): reload the conversation.
   */
  missedEvents: boolean;
  /** The server lost its buffered events (a restart): replies in progress start over from their first delta. */
  epochChanged: boolean;
}

export interface ChatClientEvents extends Record<string, unknown> {
  ready: ReadyEvent;
  accepted: MessageAccepted;
  delta: MessageDelta;
  end: MessageEnd;
  error: ErrorEvent;
  status: ConnectionStatus;
}

export type SendRefusal = "not_connected" | "empty" | "too_long";

/** Thrown by `send` when a message cannot go out; nothing was sent. */
export class SendRefusedError extends Error {
  readonly code: SendRefusal;

  constructor(code: SendRefusal, message: string) {
    super(message);
    this.name = "SendRefusedError";
    this.code = code;
  }
}

/**
 * One conversation's socket. `connect()` opens it; it is "live" once `session.ready` arrives.
 * Closes 1001/1006/1013 and other unexpected ones reconnect after 1 s doubling to 30 s (with jitter);
 * 4001 refreshes the session once and reconnects; 4004 and 1000 go offline. A missing pong for
 * 60 s or no `session.ready` within 10 s counts as a dropped connection. Deltas and ends whose
 * `seq` was already applied are dropped. `close()` ends it for good.
 */
export class ChatClient {
  private readonly url: string | (() => string);
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly timers: Timers;
  private readonly refreshToken: (() => Promise<boolean>) | undefined;
  private readonly random: () => number;
  private readonly createId: () => string;
  private readonly events = new Emitter<ChatClientEvents>();

  private socket: WebSocketLike | null = null;
  private currentStatus: ConnectionStatus = { state: "idle" };
  private session: SessionReady | null = null;
  private disposed = false;
  private attempt = 0;
  /** Set after a 4001 led to a refresh; cleared by the next `session.ready`. */
  private refreshTried = false;
  private refreshing = false;
  private currentEpoch: string | null = null;
  private currentLastSeq = 0;

  private connectTimer: unknown = null;
  private reconnectTimer: unknown = null;
  private heartbeatTimer: unknown = null;
  private pongTimer: unknown = null;

  constructor(options: ChatClientOptions) {
    this.url = options.url;
    this.WebSocketImpl = options.WebSocketImpl ?? WebSocket;
    this.timers = options.timers ?? realTimers;
    this.refreshToken = options.refreshToken;
    this.random = options.random ?? Math.random;
    this.createId = options.createId ?? randomId;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ChatClientEvents>(type: K, listener: (event: ChatClientEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  /** Limits from the last `session.ready`; null before the first one. */
  get limits(): SessionReady["limits"] | null {
    return this.session?.limits ?? null;
  }

  /** Epoch of the event history `lastSeq` belongs to; null before the first `session.ready`. */
  get epoch(): string | null {
    return this.currentEpoch;
  }

  /** Highest conversation event seq applied (or reported by `session.ready`). */
  get lastSeq(): number {
    return this.currentLastSeq;
  }

  /** Opens the connection. Only the first call does anything. */
  connect(): void {
    if (this.disposed || this.currentStatus.state !== "idle") return;
    this.setStatus({ state: "connecting" });
    this.openSocket();
  }

  /**
   * Skips the remaining backoff wait and tries now (for example when the browser comes back online).
   * Does nothing while a socket is open or being opened, after `close()`, or when the conversation is gone.
   */
  reconnectNow(): void {
    if (this.disposed || this.socket || this.refreshing) return;
    const status = this.currentStatus;
    if (status.state === "idle" || (status.state === "offline" && status.reason === "not_found")) return;
    if (status.state === "offline") this.setStatus({ state: "connecting" });
    this.clearTimer("reconnectTimer");
    this.openSocket();
  }

  /**
   * Sends a message and returns its `clientMessageId`.
   * @throws SendRefusedError when not live, when `content` is empty, or when it is over
   *   `limits.maxMessageChars` code points (or the frame over `limits.maxFrameBytes` bytes).
   */
  send(content: string, clientMessageId: string = this.createId()): string {
    const socket = this.socket;
    const session = this.session;
    if (this.currentStatus.state !== "live" || !socket || !session || socket.readyState !== OPEN) {
      throw new SendRefusedError("not_connected", "Not connected. The message was not sent.");
    }
    const length = codePointLength(content);
    if (length === 0) throw new SendRefusedError("empty", "The message is empty.");
    const max = session.limits.maxMessageChars;
    if (length > max) {
      throw new SendRefusedError("too_long", `The message is ${length} characters long; the limit is ${max}.`);
    }
    const frame = JSON.stringify({ type: "message.send", clientMessageId, content } satisfies MessageSend);
    if (new TextEncoder().encode(frame).length > session.limits.maxFrameBytes) {
      throw new SendRefusedError("too_long", "The message is too large to send.");
    }
    socket.send(frame);
    return clientMessageId;
  }

  /** Closes for good: no reconnect, every timer cleared, every listener removed (after a final `closed` status). */
  close(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clearTimer("reconnectTimer");
    this.dropSocket(CloseCode.normal, "client closed");
    this.setStatus({ state: "closed" });
    this.events.clear();
  }

  private openSocket(): void {
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketImpl(typeof this.url === "string" ? this.url : this.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => this.handleFrame(event.data);
    socket.onclose = (event) => this.handleClose(event.code);
    // An error is always followed by a close event, which decides what happens next.
    socket.onerror = () => {};
    // Connected means `session.ready` arrived, not merely that the socket opened.
    this.connectTimer = this.timers.setTimeout(() => {
      this.connectTimer = null;
      this.dropSocket(CloseCode.normal, "connect timeout");
      this.scheduleReconnect();
    }, CONNECT_TIMEOUT_MS);
  }

  /** Detaches from the current socket, closes it and stops its timers; its close event is never seen. */
  private dropSocket(code: number, reason: string): void {
    this.clearTimer("connectTimer");
    this.clearTimer("heartbeatTimer");
    this.clearTimer("pongTimer");
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(code, reason);
    } catch {
      // Already closed; nothing to release.
    }
  }

  private handleClose(code: number): void {
    this.dropSocket(CloseCode.normal, "");
    if (this.disposed) return;
    switch (code) {
      case CloseCode.normal:
        this.setStatus({ state: "offline", reason: "closed_by_server" });
        return;
      case CloseCode.notFound:
        this.setStatus({ state: "offline", reason: "not_found" });
        return;
      case CloseCode.unauthenticated:
        void this.refreshAndReconnect();
        return;
      case REPLACED_CLOSE_CODE:
        this.setStatus({ state: "offline", reason: "replaced" });
        return;
      case POLICY_CLOSE_CODE:
        this.setStatus({ state: "offline", reason: "refused" });
        this.reconnectTimer = this.timers.setTimeout(() => {
          this.reconnectTimer = null;
          this.openSocket();
        }, Math.max(POLICY_RETRY_MS, backoffDelay(this.attempt + 1, this.random)) * (1 + 0.2 * this.random()));
        return;
      default:
        this.scheduleReconnect();
    }
  }

  private async refreshAndReconnect(): Promise<void> {
    const refresh = this.refreshToken;
    if (!refresh || this.refreshTried) {
      this.setStatus({ state: "offline", reason: "unauthenticated" });
      return;
    }
    this.refreshTried = true;
    this.setStatus({ state: "reconnecting", attempt: this.attempt + 1 });
    let renewed = false;
    this.refreshing = true;
    try {
      renewed = await refresh();
    } catch {
      renewed = false;
    } finally {
      this.refreshing = false;
    }
    if (this.disposed) return;
    if (renewed) this.openSocket();
    else this.setStatus({ state: "offline", reason: "unauthenticated" });
  }

  private scheduleReconnect(): void {
    if (this.disposed) return;
    this.attempt += 1;
    // Past 5 failures in a row the badge says Offline; the attempts go on (backoff is at 30 s by then).
    if (this.attempt <= OFFLINE_AFTER_ATTEMPTS) this.setStatus({ state: "reconnecting", attempt: this.attempt });
    else if (this.currentStatus.state !== "offline") this.setStatus({ state: "offline", reason: "unreachable" });
    this.clearTimer("reconnectTimer");
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.openSocket();
    }, backoffDelay(this.attempt, this.random));
  }

  private handleFrame(data: unknown): void {
    const message = parseServerFrame(data);
    if (!message || this.disposed) return;
    this.dispatch(message);
  }

  private dispatch(message: ServerMessage): void {
    switch (message.type) {
      case "session.ready":
        this.handleReady(message);
        return;
      case "message.accepted":
        this.events.emit("accepted", message);
        return;
      case "message.delta":
        if (this.applySeq(message.seq)) this.events.emit("delta", message);
        return;
      case "message.end":
        if (this.applySeq(message.seq)) this.events.emit("end", message);
        return;
      case "error":
        this.events.emit("error", message);
        return;
      case "pong":
        this.clearTimer("pongTimer");
        return;
    }
  }

  private handleReady(session: SessionReady): void {
    this.clearTimer("connectTimer");
    this.session = session;
    this.attempt = 0;
    this.refreshTried = false;
    let missedEvents: boolean;
    const epochChanged = this.currentEpoch !== null && session.epoch !== this.currentEpoch;
    if (session.epoch !== this.currentEpoch) {
      missedEvents = this.currentEpoch !== null;
      this.currentEpoch = session.epoch;
      this.currentLastSeq = session.lastSeq;
    } else {
      missedEvents = session.lastSeq > this.currentLastSeq;
      this.currentLastSeq = Math.max(this.currentLastSeq, session.lastSeq);
    }
    this.startHeartbeat();
    this.setStatus({ state: "live" });
    this.events.emit("ready", { session, missedEvents, epochChanged });
  }

  /** Records `seq` as applied; false when it already was (a repeat that must not be shown twice). */
  private applySeq(seq: number): boolean {
    if (seq <= this.currentLastSeq) return false;
    this.currentLastSeq = seq;
    return true;
  }

  private startHeartbeat(): void {
    this.clearTimer("heartbeatTimer");
    this.clearTimer("pongTimer");
    this.heartbeatTimer = this.timers.setInterval(() => {
      const socket = this.socket;
      if (!socket || socket.readyState !== OPEN) return;
      socket.send(JSON.stringify({ type: "ping" }));
      // The deadline runs from the oldest unanswered ping; later pings do not extend it.
      if (this.pongTimer === null) {
        this.pongTimer = this.timers.setTimeout(() => {
          this.pongTimer = null;
          this.dropSocket(CloseCode.normal, "pong timeout");
          this.scheduleReconnect();
        }, PONG_TIMEOUT_MS);
      }
    }, HEARTBEAT_INTERVAL_MS);
  }

  private clearTimer(name: "connectTimer" | "reconnectTimer" | "heartbeatTimer" | "pongTimer"): void {
    const handle = this[name];
    if (handle === null) return;
    if (name === "heartbeatTimer") this.timers.clearInterval(handle);
    else this.timers.clearTimeout(handle);
    this[name] = null;
  }

  private setStatus(status: ConnectionStatus): void {
    this.currentStatus = status;
    this.events.emit("status", status);
  }
}
