import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { Connection, SendStatus } from "../../chat/connection.ts";
import type { ServerMessage } from "../../protocol/index.ts";

/** What the chat layer attaches to an accepted socket. */
export interface SocketHandler {
  receive(raw: string | Buffer): void;
  close(): void;
  /** The socket can take more after it reported backpressure. */
  drain?(): void;
}

/** Called once the socket is open; returns the handler for its frames. */
export type SocketOpener = (connection: Connection) => SocketHandler;

interface SocketData {
  open: SocketOpener;
  handler?: SocketHandler;
  connection?: Connection;
  /** When the client last sent anything (a frame or a pong). */
  heardAt: number;
}

export interface BunWebSocketOptions {
  maxPayloadBytes: number;
  idleTimeoutSeconds: number;
  /** Most bytes Bun buffers for one client; our outbox closes the socket (1013) before this is reached. */
  backpressureBytes: number;
  pingIntervalMs: number;
  /** A client silent for this long is dropped. */
  clientTimeoutMs: number;
  /** permessage-deflate for clients that offer it (`server.websocket_compression`). */
  compression?: boolean;
  now?: () => number;
}

/**
 * The only code that touches Bun's ServerWebSocket: maps it onto the chat layer's `Connection`,
 * pings every client every `pingIntervalMs` and drops one silent for `clientTimeoutMs`, and keeps
 * the set of open sockets so shutdown can close them.
 */
export class BunWebSocketTransport {
  private readonly open = new Set<ServerWebSocket<SocketData>>();
  private readonly now: () => number;
  private pinger?: ReturnType<typeof setInterval>;
  readonly handlers: WebSocketHandler<SocketData>;

  constructor(private readonly options: BunWebSocketOptions) {
    this.now = options.now ?? Date.now;
    this.handlers = {
      maxPayloadLength: options.maxPayloadBytes,
      idleTimeout: options.idleTimeoutSeconds,
      perMessageDeflate: options.compression ?? false,
      sendPings: true,
      // Explicit, not Bun's 16 MB default: past this Bun drops frames (send returns 0) and we close with 1013.
      backpressureLimit: options.backpressureBytes,
      closeOnBackpressureLimit: false,
      open: (ws) => {
        this.open.add(ws);
        ws.data.heardAt = this.now();
        const connection = toConnection(ws);
        ws.data.connection = connection;
        ws.data.handler = ws.data.open(connection);
      },
      message: (ws, raw) => {
        ws.data.heardAt = this.now();
        ws.data.handler?.receive(raw);
      },
      pong: (ws) => {
        ws.data.heardAt = this.now();
      },
      drain: (ws) => ws.data.handler?.drain?.(),
      close: (ws) => {
        this.open.delete(ws);
        ws.data.handler?.close();
      },
    };
  }

  /** Starts pinging clients and dropping silent ones. */
  start(): void {
    this.pinger ??= setInterval(() => this.heartbeat(), this.options.pingIntervalMs);
  }

  /** Drops clients silent for longer than the timeout and pings the rest. */
  heartbeat(): void {
    const now = this.now();
    for (const ws of this.open) {
      if (now - ws.data.heardAt >= this.options.clientTimeoutMs) ws.terminate();
      else ws.ping();
    }
  }

  /** Upgrades `request`; the opener runs when the socket is open. False when it was no upgrade request. */
  upgrade(request: Request, server: Server<SocketData>, open: SocketOpener): boolean {
    return server.upgrade(request, { data: { open, heardAt: this.now() } });
  }

  get size(): number {
    return this.open.size;
  }

  /** Closes every open socket with `code` and stops pinging. */
  closeAll(code: number, reason: string): void {
    clearInterval(this.pinger);
    this.closeOpen(code, reason);
  }

  /** Closes every socket open now with `code`; new ones are still accepted. */
  closeOpen(code: number, reason: string): void {
    for (const ws of this.open) ws.close(code, reason);
  }
}

function toConnection(ws: ServerWebSocket<SocketData>): Connection {
  return {
    send: (message: ServerMessage): SendStatus => {
      const status = ws.send(JSON.stringify(message));
      return status > 0 ? "sent" : status === -1 ? "queued" : "dropped";
    },
    close: (code: number, reason: string) => ws.close(code, reason),
    bufferedAmount: () => ws.getBufferedAmount(),
  };
}
