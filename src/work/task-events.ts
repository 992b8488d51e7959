import type { EndReason, Usage, WireError } from "../protocol/index.ts";

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
    };

export type EmitTaskEvent = (event: TaskEvent) => void;
