import type {
  AuthRefreshed,
  ErrorEvent,
  GuardReported,
  MessageAccepted,
  MessageDelta,
  MessageEnd,
  MessageReset,
  SessionReady,
  SessionReset,
  ToolConfirm,
  ToolEnd,
  ToolStart,
} from "../../src/protocol/index.ts";
import type { ConnectionStatus } from "./connection-status.ts";

export interface ReadyEvent {
  session: SessionReady;
  /** The socket asked to resume (`?lastSeq=&epoch=`): the events after that position follow. */
  resumed: boolean;
}

/** What a `ChatClient` reports. Conversation events (those with a `seq`) are reported once each, in order. */
export interface ChatClientEvents extends Record<string, unknown> {
  ready: ReadyEvent;
  /**
   * `session.reset`: the server no longer holds the events after this client's position (or the
   * epoch changed). Reload the conversation over HTTP; the events after `lastSeq` follow, and a
   * reply still running is replayed from its start.
   */
  reset: SessionReset;
  accepted: MessageAccepted;
  delta: MessageDelta;
  end: MessageEnd;
  /** `message.reset`: discard the text shown so far of `messageId`; a new attempt follows. */
  messageReset: MessageReset;
  tool: ToolStart | ToolEnd | ToolConfirm;
  error: ErrorEvent;
  /** The socket took the newer token sent with `refreshAuth`. */
  authRefreshed: AuthRefreshed;
  /** The server refused the token sent with `refreshAuth`; the socket keeps its old expiry. */
  authRefreshFailed: ErrorEvent;
  reported: GuardReported;
  status: ConnectionStatus;
}
