/**
 * A bare-bones WebSocket client over TCP that can send what a browser never would: text frames
 * with invalid UTF-8, any opcode, any payload. Only for fuzzing the server's frame handling.
 */
export interface RawSocket {
  /** True when the server answered the upgrade with 101. */
  upgraded: boolean;
  /** Sends one masked frame with FIN set. */
  sendFrame(opcode: number, payload: Uint8Array): void;
  /** Bytes received after the upgrade. */
  readonly received: number;
  /** The status code of the first close frame the server sent, if any. */
  readonly closeCode: number | undefined;
  closed: Promise<void>;
  close(): void;
}

export async function openRawSocket(url: string, headers: Record<string, string> = {}): Promise<RawSocket> {
  const target = new URL(url);
  let head = "";
  let received = 0;
  let closeCode: number | undefined;
  let upgraded = false;
  let onUpgrade!: (ok: boolean) => void;
  let onClose!: () => void;
  const upgrade = new Promise<boolean>((resolve) => (onUpgrade = resolve));
  const closed = new Promise<void>((resolve) => (onClose = resolve));
  const socket = await Bun.connect({
    hostname: target.hostname,
    port: Number(target.port),
    socket: {
      data(_socket, data) {
        if (upgraded) {
          // Server frames are unmasked; a close frame is 0x88, a length byte, then the status code.
          for (let i = 0; i + 3 < data.length && closeCode === undefined; i++) {
            if (data[i] === 0x88 && data[i + 1]! >= 2 && data[i + 1]! < 126) closeCode = (data[i + 2]! << 8) | data[i + 3]!;
          }
          return void (received += data.length);
        }
        head += data.toString("latin1");
        if (head.includes("\r\n\r\n")) {
          upgraded = head.startsWith("HTTP/1.1 101");
          onUpgrade(upgraded);
        }
      },
      close: () => (onUpgrade(false), onClose()),
      error: () => (onUpgrade(false), onClose()),
    },
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
  socket.write(lines.join("\r\n") + "\r\n\r\n");
  await upgrade;
  return {
    upgraded,
    get received() {
      return received;
    },
    get closeCode() {
      return closeCode;
    },
    sendFrame(opcode, payload) {
      const length = payload.length;
      const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
      const frame = new Uint8Array(header + 4 + length);
      frame[0] = 0x80 | opcode;
      if (header === 2) frame[1] = 0x80 | length;
      else if (header === 4) (frame[1] = 0x80 | 126), new DataView(frame.buffer).setUint16(2, length);
      else (frame[1] = 0x80 | 127), new DataView(frame.buffer).setBigUint64(2, BigInt(length));
      const mask = crypto.getRandomValues(new Uint8Array(4));
      frame.set(mask, header);
      for (let i = 0; i < length; i++) frame[header + 4 + i] = payload[i]! ^ mask[i % 4]!;
      socket.write(frame);
    },
    closed,
    close: () => socket.end(),
  };
}
