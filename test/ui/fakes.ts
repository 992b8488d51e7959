import type { SessionReady } from "../../src/protocol/index.ts";
import {
  ChatClient,
  type ChatClientOptions,
  type ConnectionStatus,
  type Timers,
  type WebSocketLike,
} from "../../ui/src/chat-client.ts";

interface ScheduledTask {
  id: number;
  at: number;
  ms: number;
  callback: () => void;
  repeat: boolean;
}

/** Timers on a fake clock that only moves when `advance` is called. */
export class FakeTimers implements Timers {
  now = 0;
  private nextId = 1;
  private readonly tasks = new Map<number, ScheduledTask>();

  setTimeout(callback: () => void, ms: number): unknown {
    return this.schedule(callback, ms, false);
  }

  setInterval(callback: () => void, ms: number): unknown {
    return this.schedule(callback, ms, true);
  }

  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number);
  }

  clearInterval(handle: unknown): void {
    this.tasks.delete(handle as number);
  }

  /** How many timeouts and intervals are scheduled. */
  pending(): number {
    return this.tasks.size;
  }

  /** The delays of the scheduled one-shot timeouts, oldest first. */
  pendingTimeouts(): number[] {
    return [...this.tasks.values()].filter((task) => !task.repeat).map((task) => task.ms);
  }

  /** Moves the clock forward by `ms`, running every timer that falls due, in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let next: ScheduledTask | undefined;
      for (const task of this.tasks.values()) {
        if (task.at <= end && (!next || task.at < next.at || (task.at === next.at && task.id < next.id))) {
          next = task;
        }
      }
      if (!next) break;
      this.now = next.at;
      if (next.repeat) next.at += next.ms;
      else this.tasks.delete(next.id);
      next.callback();
    }
    this.now = end;
  }

  private schedule(callback: () => void, ms: number, repeat: boolean): number {
    const id = this.nextId++;
    this.tasks.set(id, { id, at: this.now + ms, ms, callback, repeat });
    return id;
  }
}

/** A WebSocket whose "server side" the test drives: open, receive, serverClose. */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { readonly data: unknown }) => void) | null = null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** Frames the client sent, as text. */
  readonly sent: string[] = [];
  /** Set when the client called close(). */
  closedByClient: { code: number | undefined; reason: string | undefined } | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = 3;
  }

  /** Frames the client sent, parsed. */
  sentMessages(): Array<Record<string, unknown>> {
    return this.sent.map((frame) => JSON.parse(frame) as Record<string, unknown>);
  }

  hasListeners(): boolean {
    return Boolean(this.onopen || this.onmessage || this.onclose || this.onerror);
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(message: object | string): void {
    this.onmessage?.({ data: typeof message === "string" ? message : JSON.stringify(message) });
  }

  serverClose(code: number, reason = ""): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

/** A WebSocket class for one test, recording every socket it creates. */
export function fakeWebSocketServer(): {
  WebSocketImpl: new (url: string) => FakeWebSocket;
  sockets: FakeWebSocket[];
  latest(): FakeWebSocket;
} {
  const sockets: FakeWebSocket[] = [];
  class RecordedWebSocket extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return {
    WebSocketImpl: RecordedWebSocket,
    sockets,
    latest() {
      const socket = sockets.at(-1);
      if (!socket) throw new Error("no socket was created");
      return socket;
    },
  };
}

/** A `session.ready` frame with test defaults. */
export function sessionReady(overrides: Partial<SessionReady> = {}): SessionReady {
  return {
    type: "session.ready",
    conversationId: "c1",
    userId: "u1",
    epoch: "e1",
    lastSeq: 0,
    limits: { maxMessageChars: 100, maxFrameBytes: 65_536 },
    ...overrides,
  };
}

/** A ChatClient on a fake socket class and fake timers, recording every status it reports. */
export function chatClientHarness(options: Partial<ChatClientOptions> = {}) {
  const server = fakeWebSocketServer();
  const timers = new FakeTimers();
  const client = new ChatClient({
    url: "ws://localhost/ws/chat/c1",
    WebSocketImpl: server.WebSocketImpl,
    timers,
    ...options,
  });
  const statuses: ConnectionStatus[] = [];
  client.on("status", (status) => statuses.push(status));
  /** Connects and completes the handshake; returns the live socket. */
  const goLive = (ready = sessionReady()) => {
    if (client.status.state === "idle") client.connect();
    const socket = server.latest();
    socket.open();
    socket.receive(ready);
    return socket;
  };
  return { client, server, timers, statuses, goLive };
}
