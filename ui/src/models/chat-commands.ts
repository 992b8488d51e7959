import type { ReadonlySignal, Signal } from "@preact/signals";
import type { ChatClient } from "../chat-client.ts";
import type { MessageView } from "./message-store.ts";
import type { ToolCalls } from "./tool-calls.ts";

export interface ChatCommandDeps {
  /** Runs a command on the live socket; false (with the chat's notice set) when it could not go out. */
  run(act: (client: ChatClient) => void): boolean;
  /** The reply Stop would cancel. */
  stoppable: ReadonlySignal<MessageView | null>;
  tools: ToolCalls;
  draft: Signal<string>;
}

/** What the user can do to a conversation besides sending: Stop, answer a tool card, report a block, edit. */
export function createChatCommands({ run, stoppable, tools, draft }: ChatCommandDeps) {
  function decide(toolCallId: string, approved: boolean, reason?: string): boolean {
    const sent = run((client) => (approved ? client.approve(toolCallId) : client.reject(toolCallId, reason)));
    if (sent) tools.decided(toolCallId, approved, reason);
    return sent;
  }

  return {
    /** Stop: cancels the reply being written (`message.cancel`); it ends "cancelled", keeping its text. */
    stop(): boolean {
      const taskId = stoppable.peek()?.taskId;
      return taskId ? run((client) => client.cancel(taskId)) : false;
    },
    /** Approve on a confirmation card (`tool.approve`). */
    approve: (toolCallId: string) => decide(toolCallId, true),
    /** Reject on a confirmation card, with an optional reason (`tool.reject`). */
    reject: (toolCallId: string, reason?: string) => decide(toolCallId, false, reason),
    /** "Blocked in error?": reports a message the input guard refused (`guard.report`). */
    report(message: MessageView): boolean {
      const state = message.report.peek();
      if (message.errorCode.peek() !== "input_blocked" || state === "sending" || state === "reported") return false;
      const sent = run((client) => client.report(message.id));
      if (sent) message.report.value = "sending";
      return sent;
    },
    /** Puts a refused message's text back into the composer to be changed. */
    edit(message: MessageView): void {
      draft.value = message.content.peek();
    },
  };
}
