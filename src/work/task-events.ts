import type { EndReason, Usage, WireError } from "../protocol/index.ts";

/** What running a task reports, in order: any number of deltas, then exactly one end. */
export type TaskEvent =
  | { kind: "delta"; text: string }
  | {
      kind: "end";
      reason: EndReason;
      usage?: Usage;
      error?: WireError;
      /** Secrets the output guard redacted from this reply, per kind; absent when none. */
      redactions?: Record<string, number>;
    };

export type EmitTaskEvent = (event: TaskEvent) => void;
