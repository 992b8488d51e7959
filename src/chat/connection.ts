import type { ServerMessage } from "../protocol/index.ts";

/** What became of a frame: on the wire (or in the kernel), queued behind a slow reader, or dropped. */
export type SendStatus = "sent" | "queued" | "dropped";

/** One client socket as the chat layer sees it; src/transport/ws/ maps Bun's socket onto it. */
export interface Connection {
  send(message: ServerMessage): SendStatus;
  close(code: number, reason: string): void;
  /** Bytes the transport holds for this client that it has not taken yet. */
  bufferedAmount(): number;
}
