import type { ServerMessage } from "../protocol/index.ts";

/** One client socket as the chat layer sees it; src/transport/ws/ maps Bun's socket onto it. */
export interface Connection {
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
}
