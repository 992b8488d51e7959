import type { ServerMessage } from "../../src/protocol/index.ts";

export interface TestSocket {
  ws: WebSocket;
  /** Every frame received so far, parsed. */
  frames: ServerMessage[];
  send(message: unknown): void;
  sendRaw(data: string | Uint8Array): void;
  /** The next frame of `type`, after those already consumed by `next`/`nextMatching`. */
  next<T extends ServerMessage["type"]>(type: T, timeoutMs?: number): Promise<Extract<ServerMessage, { type: T }>>;
  /** The next frame that matches `predicate`; frames skipped on the way are consumed. */
  nextMatching(predicate: (frame: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Opens a WebSocket and records its frames. `headers` is Bun's client extension (cookies, Authorization). */
export function openSocket(url: string, headers?: Record<string, string>): TestSocket {
  const ws = new WebSocket(url, headers ? ({ headers } as unknown as string[]) : undefined);
  const frames: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  let cursor = 0;
  ws.onmessage = (event) => {
    frames.push(JSON.parse(String(event.data)));
    for (const wake of waiters.splice(0)) wake();
  };
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.onclose = (event) => {
      resolve({ code: event.code, reason: event.reason });
      for (const wake of waiters.splice(0)) wake();
    };
  });
  const opened = new Promise<void>((resolve) => ws.addEventListener("open", () => resolve(), { once: true }));
  return {
    ws,
    frames,
    send: (message) => void opened.then(() => ws.send(JSON.stringify(message))),
    sendRaw: (data) => void opened.then(() => ws.send(data as string)),
    next(type, timeoutMs) {
      return this.nextMatching((frame) => frame.type === type, timeoutMs) as never;
    },
    async nextMatching(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < frames.length) {
          const frame = frames[cursor++]!;
          if (predicate(frame)) return frame;
        }
        if (ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting; last frames: ${JSON.stringify(frames.slice(-3))}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for a frame; last frames: ${JSON.stringify(frames.slice(-5))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => (clearTimeout(timer), resolve()));
        });
      }
    },
    closed,
    close: () => ws.close(1000),
  };
}
