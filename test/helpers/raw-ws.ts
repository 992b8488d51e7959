import type { Socket } from "bun";
import type { ServerMessage } from "../../src/protocol/index.ts";

/**
 * A WebSocket client on a raw TCP socket, for what Bun's client cannot do: stop reading (the
 * kernel buffers fill and the server sees backpressure) and ignore pings.
 */
export interface RawWebSocket {
  socket: Socket<undefined>;
  /** Text frames received so far, parsed. */
  frames: ServerMessage[];
  /** The close frame's code once one arrived; null when the connection ended without one. */
  closeCode(): number | null | undefined;
  /** Bytes of frames received (after the handshake). */
  receivedBytes(): number;
  pongs: number;
  pings: number;
  /** Stops reading from the socket. */
  pause(): void;
  resume(): void;
  /** Resolves when the TCP connection has ended. */
  ended: Promise<void>;
  sendText(text: string): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
}

export async function openRawWebSocket(url: string, headers: Record<string, string>, options: { answerPings?: boolean } = {}): Promise<RawWebSocket> {
  const target = new URL(url);
  let onData: (chunk: Buffer) => void = () => undefined;
  let onClose: () => void = () => undefined;
  const socket = await Bun.connect({
    hostname: target.hostname,
    port: Number(target.port),
    socket: { data: (_socket, chunk) => onData(chunk), close: () => onClose(), error: () => onClose() },
  });
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const lines = [
    `GET ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  let bytes = 0;
  let close: number | null | undefined;
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((waiter) => waiter());
  const raw: RawWebSocket = {
    socket,
    frames: [],
    closeCode: () => close,
    receivedBytes: () => bytes,
    pongs: 0,
    pings: 0,
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    ended: new Promise((resolve) => (onClose = () => (close ??= null, wake(), resolve()))),
    sendText: (text) => socket.write(maskedFrame(0x1, Buffer.from(text))),
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`raw websocket: timed out; ${raw.frames.length} frames`))), timeoutMs);
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
  onData = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (!upgraded) {
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      if (!buffer.subarray(0, end).toString().startsWith("HTTP/1.1 101")) throw new Error(`upgrade refused: ${buffer.toString()}`);
      upgraded = true;
      buffer = buffer.subarray(end + 4);
    }
    for (;;) {
      const frame = readFrame(buffer);
      if (!frame) break;
      buffer = buffer.subarray(frame.length);
      bytes += frame.length;
      if (frame.opcode === 0x1) raw.frames.push(JSON.parse(frame.payload.toString()));
      if (frame.opcode === 0x8) close = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
      if (frame.opcode === 0x9) {
        raw.pings++;
        if (options.answerPings !== false) {
          socket.write(maskedFrame(0xa, frame.payload));
          raw.pongs++;
        }
      }
    }
    wake();
  };
  await raw.waitFor(() => raw.frames.length > 0);
  return raw;
}

function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; length: number } | null {
  if (buffer.length < 2) return null;
  const opcode = buffer[0]! & 0x0f;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return null;
  return { opcode, payload: buffer.subarray(offset, offset + length), length: offset + length };
}

function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from(crypto.getRandomValues(new Uint8Array(4)));
  const header = payload.length < 126 ? Buffer.from([0x80 | opcode, 0x80 | payload.length]) : Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, masked]);
}
