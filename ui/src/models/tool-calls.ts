import { batch, signal, type Signal } from "@preact/signals";
import type { ToolConfirm, ToolEnd, ToolStart } from "../../../src/protocol/index.ts";

/**
 * running: the tool runs · confirm: it waits for the member's Approve / Reject · approving /
 * rejecting: the answer is on its way · approved: accepted, the tool runs · rejected: refused,
 * nothing was written · done / failed: `tool.end` arrived · answered: `tool.end` arrived for a
 * card answered in another tab (whether it was approved shows only in `summary`) · expired: the
 * server no longer waits for an answer.
 */
export type ToolPhase = "running" | "confirm" | "approving" | "rejecting" | "approved" | "rejected" | "done" | "failed" | "answered" | "expired";

/** One tool call of the agent, as the chat shows it. */
export interface ToolCallView {
  toolCallId: string;
  name: string;
  args: Signal<Record<string, unknown>>;
  phase: Signal<ToolPhase>;
  /** `tool.end.summary`: the short result, or the error when it failed. */
  summary: Signal<string | null>;
  /** The member's reason for a rejection, or why an answer was refused. */
  note: Signal<string | null>;
}

/** A tool call waiting for confirmation, as `GET /api/conversations/:id` lists it. */
export interface PendingConfirmation {
  toolCallId: string;
  name: string;
  args: Record<string, unknown>;
}

/** `clientMessageId` of the acknowledgement of `tool.approve` / `tool.reject` (docs/protocol.md). */
export const decisionClientMessageId = (toolCallId: string) => `tool:${toolCallId}`;

/** The toolCallId a `tool:<id>` clientMessageId answers; null for a message's own id. */
export function toolCallIdOfDecision(clientMessageId: string | undefined): string | null {
  return clientMessageId?.startsWith("tool:") ? clientMessageId.slice(5) : null;
}

/** What the user sees while a tool runs and after it ended, for the built-in tools and any other. */
const labels: Record<string, { running: string; done: string; failed: string; confirm: string }> = {
  create_project: { running: "Creating project…", done: "Created", failed: "Could not create the project", confirm: "Create this project?" },
  update_project: { running: "Updating project…", done: "Updated", failed: "Could not update the project", confirm: "Update this project?" },
  list_my_projects: { running: "Looking up your projects…", done: "Looked up your projects", failed: "Could not list your projects", confirm: "List your projects?" },
};

/** The line shown for `name` in `phase`. */
export function toolLabel(name: string, phase: ToolPhase): string {
  const label = labels[name] ?? { running: `Running ${name}…`, done: `${name}: done`, failed: `${name} failed`, confirm: `Run ${name}?` };
  switch (phase) {
    case "confirm":
      return label.confirm;
    case "approving":
    case "approved":
    case "running":
      return label.running;
    case "rejecting":
      return "Rejecting…";
    case "rejected":
      return "Rejected";
    case "done":
      return label.done;
    case "failed":
      return label.failed;
    case "answered":
      return "Answered in another tab or device";
    case "expired":
      return "No longer waiting for an answer";
  }
}

/** The tool calls of the open conversation, by toolCallId (a call's `tool.end` may come with a later message). */
export function createToolCalls() {
  const calls = new Map<string, ToolCallView>();
  /** Bumped when a call is added, so views that list calls re-render. */
  const version = signal(0);

  function ensure(toolCallId: string, name: string, args: Record<string, unknown> = {}): { call: ToolCallView; created: boolean } {
    const known = calls.get(toolCallId);
    if (known) return { call: known, created: false };
    const call: ToolCallView = { toolCallId, name, args: signal(args), phase: signal("running"), summary: signal(null), note: signal(null) };
    calls.set(toolCallId, call);
    version.value++;
    return { call, created: true };
  }

  /** Applies a tool event; `created` says whether the call is new (to be attached to its message). */
  function apply(event: ToolStart | ToolEnd | ToolConfirm): { call: ToolCallView; created: boolean } {
    const result = ensure(event.toolCallId, event.name, "args" in event ? event.args : {});
    const { call } = result;
    batch(() => {
      if (event.type === "tool.end") {
        call.summary.value = event.summary;
        const phase = call.phase.peek();
        // A rejected call "succeeds" at telling the agent no; it stays rejected on screen. A card
        // answered elsewhere ends the same way for an approval and a rejection: say only that.
        if (phase === "confirm" || phase === "expired") call.phase.value = event.ok ? "answered" : "failed";
        else if (phase !== "rejected" && phase !== "rejecting") call.phase.value = event.ok ? "done" : "failed";
        return;
      }
      call.args.value = event.args;
      // A replayed event never takes back what happened since (an answer given, a result shown).
      if (event.type === "tool.confirm" && call.phase.peek() === "running") call.phase.value = "confirm";
    });
    return result;
  }

  /** Cards for the confirmations a loaded history says are still waiting. */
  function restorePending(pending: PendingConfirmation[]): ToolCallView[] {
    return pending.map((waiting) => {
      const { call } = ensure(waiting.toolCallId, waiting.name, waiting.args);
      if (call.phase.peek() === "running") call.phase.value = "confirm";
      return call;
    });
  }

  /** The member's answer left (`approving` / `rejecting`). */
  function decided(toolCallId: string, approved: boolean, reason?: string): void {
    const call = calls.get(toolCallId);
    if (!call) return;
    batch(() => {
      call.phase.value = approved ? "approving" : "rejecting";
      call.note.value = approved ? null : reason?.trim() || null;
    });
  }

  /** The server acknowledged the answer (`message.accepted` for `tool:<id>`). */
  function acknowledged(toolCallId: string): void {
    const call = calls.get(toolCallId);
    if (!call) return;
    const phase = call.phase.peek();
    if (phase === "approving") call.phase.value = "approved";
    if (phase === "rejecting") call.phase.value = "rejected";
  }

  /** The server refused the answer (nothing waits under that id any more). */
  function refused(toolCallId: string, message: string): void {
    const call = calls.get(toolCallId);
    if (!call) return;
    batch(() => {
      call.phase.value = "expired";
      call.note.value = message;
    });
  }

  function clear(): void {
    calls.clear();
    version.value++;
  }

  return { version, get: (toolCallId: string) => calls.get(toolCallId), apply, restorePending, decided, acknowledged, refused, clear };
}

export type ToolCalls = ReturnType<typeof createToolCalls>;
