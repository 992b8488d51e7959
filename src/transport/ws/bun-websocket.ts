import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { Connection } from "../../chat/connection.ts";
import type { ServerMessage } from "../../protocol/index.ts";

/** What the chat layer attaches to an accepted socket. */
export interface SocketHandler {
  receive(raw: string | Buffer): void;
  close(): void;
}

/** Called once the socket is open; returns the handler for its frames. */
export type SocketOpener = (connection: Connection) => SocketHandler;

interface SocketData {
  open: SocketOpener;
  handler?: SocketHandler;
  connection?: Connection;
}

/**
 * The only code that touches Bun's ServerWebSocket: maps it onto the chat layer's `Connection`
 * and keeps the set of open sockets so shutdown can close them.
 */
export class BunWebSocketTransport {
  private readonly open = new Set<ServerWebSocket<SocketData>>();
  readonly handlers: WebSocketHandler<SocketData>;

  constructor(options: { maxPayloadBytes: number; idleTimeoutSeconds: number; compression?: boolean }) {
    this.handlers = {
      maxPayloadLength: options.maxPayloadBytes,
      idleTimeout: options.idleTimeoutSeconds,
      perMessageDeflate: options.compression ?? false,
      sendPings: true,
      open: (ws) => {
        this.open.add(ws);
        const connection = toConnection(ws);
        ws.data.connection = connection;
        ws.data.handler = ws.data.open(connection);
      },
      message: (ws, raw) => ws.data.handler?.receive(raw),
      close: (ws) => {
        this.open.delete(ws);
        ws.data.handler?.close();
      },
    };
  }

  /** Upgrades `request`; the opener runs when the socket is open. False when it was no upgrade request. */
  upgrade(request: Request, server: Server<SocketData>, open: SocketOpener): boolean {
    return server.upgrade(request, { data: { open } });
  }

  get size(): number {
    return this.open.size;
  }

  /** Closes every open socket with `code`. */
  closeAll(code: number, reason: string): void {
    for (const ws of this.open) ws.close(code, reason);
  }
}

function toConnection(ws: ServerWebSocket<SocketData>): Connection {
  return {
    send: (message: ServerMessage) => void ws.send(JSON.stringify(message)),
    close: (code: number, reason: string) => ws.close(code, reason),
  };
}
