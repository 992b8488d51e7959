import type { ServerMessage, SessionReady } from "../../src/protocol/index.ts";
import { CloseCode } from "../../src/protocol/close-codes.ts";
import { backoffDelay } from "./backoff.ts";
import type { ConnectionStatus } from "./connection-status.ts";
import { Emitter } from "./emitter.ts";
import { SendRefusedError } from "./outgoing-frames.ts";
import { parseServerFrame } from "./server-frames.ts";
import { realTimers, type Timers } from "./timers.ts";
import type { WebSocketConstructor, WebSocketLike } from "./web-socket-like.ts";

export const HEARTBEAT_INTERVAL_MS = 30_000;
export const PONG_TIMEOUT_MS = 60_000;
export const CONNECT_TIMEOUT_MS = 10_000;
/** After this many failed reconnect attempts in a row the client reports "offline" (and keeps trying every 30 s). */
export const OFFLINE_AFTER_ATTEMPTS = 5;
/** After a 4008 (a connection rule said no), the next attempt waits at least this long. */
export const POLICY_RETRY_MS = 60_000;

/** `WebSocket.OPEN`, spelled out because a substitute class need not define it. */
const OPEN = 1;

export interface ChatConnectionOptions {
  /** Asked before each attempt: the full `ws:`/`wss:` URL to open. */
  url: () => string;
  WebSocketImpl?: WebSocketConstructor;
  timers?: Timers;
  /** Called once after a 4001 close; resolves true when the session cookie was renewed. */
  refreshToken?: () => Promise<boolean>;
  /** Source of jitter for the reconnect backoff; defaults to Math.random. */
  random?: () => number;
}

interface ConnectionEvents extends Record<string, unknown> {
  /** Every well-formed frame, `session.ready` included, in arrival order. */
  frame: ServerMessage;
  status: ConnectionStatus;
}

/**
 * The socket's lifecycle, without the protocol: it is "live" once `session.ready` arrives.
 * Closes 1001/1006/1013 and other unexpected ones reconnect after 1 s doubling to 30 s (with
 * jitter; Offline after 5 failures, still retrying every 30 s); 4001 refreshes the session once
 * and reconnects; 4008 waits a minute or more; 4004, 4009 and 1000 go offline. A missing pong for
 * 60 s or no `session.ready` within 10 s counts as a dropped connection.
 */
export class ChatConnection {
  private readonly events = new Emitter<ConnectionEvents>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private socket: WebSocketLike | null = null;
  private currentStatus: ConnectionStatus = { state: "idle" };
  private readySession: SessionReady | null = null;
  private disposed = false;
  private attempt = 0;
  /** Set after a 4001 led to a refresh; cleared by the next `session.ready`. */
  private refreshTried = false;
  private refreshing = false;
  private connectTimer: unknown = null;
  private reconnectTimer: unknown = null;
  private heartbeatTimer: unknown = null;
  private pongTimer: unknown = null;

  constructor(private readonly options: ChatConnectionOptions) {
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
  }

  on<K extends keyof ConnectionEvents>(type: K, listener: (event: ConnectionEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  /** The last `session.ready`; null before the first. */
  get session(): SessionReady | null {
    return this.readySession;
  }

  /** Opens the connection. Only the first call does anything. */
  connect(): void {
    if (this.disposed || this.currentStatus.state !== "idle") return;
    this.setStatus({ state: "connecting" });
    this.openSocket();
  }

  /** Skips the remaining backoff wait and tries now; nothing while a socket is open or opening, after close, or when not found. */
  reconnectNow(): void {
    if (this.disposed || this.socket || this.refreshing) return;
    const status = this.currentStatus;
    if (status.state === "idle" || (status.state === "offline" && status.reason === "not_found")) return;
    if (status.state === "offline") this.setStatus({ state: "connecting" });
    this.clearTimer("reconnectTimer");
    this.openSocket();
  }

  /** Sends a text frame on the live socket. @throws SendRefusedError when not live. */
  send(frame: string): void {
    const socket = this.socket;
    if (this.currentStatus.state !== "live" || !socket || socket.readyState !== OPEN) {
      throw new SendRefusedError("not_connected", "Not connected. Nothing was sent.");
    }
    socket.send(frame);
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
      socket = new (this.options.WebSocketImpl ?? WebSocket)(this.options.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => this.handleFrame(event.data);
    socket.onclose = (event) => this.handleClose(event.code, event.reason);
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

  private handleClose(code: number, reason: string | undefined): void {
    this.dropSocket(CloseCode.normal, "");
    if (this.disposed) return;
    switch (code) {
      case CloseCode.normal:
        return this.setStatus({ state: "offline", reason: "closed_by_server" });
      case CloseCode.notFound:
        return this.setStatus({ state: "offline", reason: "not_found" });
      case CloseCode.unauthenticated:
        return void this.refreshAndReconnect();
      case CloseCode.replaced:
        return this.setStatus({ state: "offline", reason: "replaced" });
      case CloseCode.policy:
        this.setStatus({ state: "offline", reason: "refused", ...(reason ? { detail: reason } : {}) });
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
    const refresh = this.options.refreshToken;
    if (!refresh || this.refreshTried) return this.setStatus({ state: "offline", reason: "unauthenticated" });
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
    if (message.type === "pong") return this.clearTimer("pongTimer");
    if (message.type === "session.ready") {
      this.clearTimer("connectTimer");
      this.readySession = message;
      this.attempt = 0;
      this.refreshTried = false;
      this.startHeartbeat();
      this.setStatus({ state: "live" });
    }
    this.events.emit("frame", message);
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
