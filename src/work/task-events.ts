import type { EndReason, Usage, WireError } from "../protocol/index.ts";

/** Which configured model runs a task: `llm`, or `llm.fallback` while llm's breaker is open. */
export type ModelTarget = "primary" | "fallback";

/** Why the main thread stopped a running task (the AbortSignal's reason). */
export type AbortReason = "cancelled" | "timeout" | "abandoned" | "lease-lost";

/** What running a task reports, in order: deltas and tool events, then exactly one end. */
export type TaskEvent =
  | { kind: "delta"; text: string }
  | { kind: "tool-start"; toolCallId: string; name: string; args: Record<string, unknown> }
  | { kind: "tool-end"; toolCallId: string; name: string; ok: boolean; summary: string }
  | { kind: "tool-confirm"; toolCallId: string; name: string; args: Record<string, unknown> }
  | {
      kind: "end";
      reason: EndReason;
      usage?: Usage;
      error?: WireError;
      /** Secrets the output guard redacted from this reply, per kind; absent when none. */
      redactions?: Record<string, number>;
      /** Set when the model call itself failed (for the breaker): the HTTP status, if there was one. */
      modelFailure?: { status?: number };
    };

export type EmitTaskEvent = (event: TaskEvent) => void;

/** How one run of a task is done. */
export interface RunOptions {
  /** Aborting stops the model request at once; the reason is an `AbortReason`. */
  signal?: AbortSignal;
  model?: ModelTarget;
  /**
   * No earlier run of this task ever started, so no reply of it can be in the checkpoint: the
   * runner skips looking for one (a read and decode of the whole conversation).
   */
  firstRun?: boolean;
}
