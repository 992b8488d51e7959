import { CloseCode, type ServerMessage } from "../protocol/index.ts";
import type { Connection } from "./connection.ts";

/**
 * The frames on their way to one client. While the client reads, each frame goes straight out.
 * Once the transport reports backpressure, frames wait here and consecutive deltas of one message
 * are merged into one (carrying the last merged seq), so a slow reader costs little memory. Past
 * `limitBytes` waiting, or if the transport drops a frame, the socket is closed with 1013: the
 * client reconnects with `?lastSeq=` and the event log fills the gap. Nothing is lost silently.
 */
export class Outbox {
  private readonly pending: ServerMessage[] = [];
  private pendingBytes = 0;
  private congested = false;
  private closed = false;

  constructor(
    private readonly connection: Connection,
    private readonly limitBytes: number,
    /** Called when a too-slow client is closed with 1013 (a metric). */
    private readonly onOverflow: () => void = () => {},
  ) {}

  send(message: ServerMessage): void {
    if (this.closed) return;
    if (!this.congested && this.pending.length === 0) return this.write(message);
    const last = this.pending.at(-1);
    if (message.type === "message.delta" && last?.type === "message.delta" && last.messageId === message.messageId) {
      this.pending[this.pending.length - 1] = { ...last, seq: message.seq, text: last.text + message.text };
      this.pendingBytes += message.text.length * 3;
    } else {
      this.pending.push(message);
      this.pendingBytes += estimateBytes(message);
    }
    if (this.pendingBytes + this.connection.bufferedAmount() > this.limitBytes) this.overflow();
  }

  /** The transport can take more: send what waited, until it pushes back again. */
  drain(): void {
    this.congested = false;
    while (!this.congested && !this.closed && this.pending.length > 0) {
      const message = this.pending.shift()!;
      this.pendingBytes -= estimateBytes(message);
      this.write(message);
    }
    if (this.pending.length === 0) this.pendingBytes = 0;
  }

  /** Bytes waiting here (not yet handed to the transport). */
  get waitingBytes(): number {
    return this.pendingBytes;
  }

  private write(message: ServerMessage): void {
    const status = this.connection.send(message);
    if (status === "queued") this.congested = true;
    if (status === "dropped") this.overflow();
  }

  private overflow(): void {
    this.closed = true;
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.connection.close(CloseCode.tryAgainLater, "client too slow; resume with lastSeq");
    this.onOverflow();
  }
}

/** An upper bound of a frame's size on the wire (UTF-8 takes at most 3 bytes per UTF-16 unit). */
function estimateBytes(message: ServerMessage): number {
  return message.type === "message.delta" ? message.text.length * 3 + 96 : JSON.stringify(message).length * 3;
}
