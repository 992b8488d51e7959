import type { TargetedSubmitEvent } from "preact";
import { useState } from "preact/hooks";
import type { ChatModel } from "../models/chat.ts";
import { toolLabel, type ToolCallView } from "../models/tool-calls.ts";
import { ProjectFields } from "./project-fields.tsx";

const CARD_PHASES = new Set(["confirm", "approving", "rejecting", "expired"]);

/** The confirmation card: what the agent wants to write, with Approve and Reject (an optional reason). */
function ConfirmCard({ call, chat }: { call: ToolCallView; chat: ChatModel }) {
  const phase = call.phase.value;
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const waiting = phase === "confirm";
  const live = chat.status.value.state === "live";

  function reject(event: TargetedSubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (chat.reject(call.toolCallId, reason)) setRejecting(false);
  }

  return (
    <section class="tool-card" role="group" aria-label={toolLabel(call.name, "confirm")} data-testid="tool-confirm" data-phase={phase} data-tool-call-id={call.toolCallId}>
      <h4 class="tool-card-title">{toolLabel(call.name, phase === "expired" ? "expired" : "confirm")}</h4>
      <ProjectFields fields={call.args.value} testId="tool-confirm-args" />
      {call.note.value && (
        <p class="tool-card-note" role="status" data-testid="tool-confirm-note">
          {call.note.value}
        </p>
      )}
      {waiting && !rejecting && (
        <div class="tool-card-actions">
          <button type="button" class="button button--primary button--small" disabled={!live} onClick={() => chat.approve(call.toolCallId)} data-testid="tool-approve">
            Approve
          </button>
          <button type="button" class="button button--ghost button--small" disabled={!live} onClick={() => setRejecting(true)} data-testid="tool-reject">
            Reject
          </button>
        </div>
      )}
      {waiting && rejecting && (
        <form class="tool-card-reject" onSubmit={reject}>
          <label class="field">
            <span class="field-label">Reason (optional)</span>
            <input class="input" maxLength={500} value={reason} onInput={(event) => setReason(event.currentTarget.value)} autoFocus data-testid="tool-reject-reason" />
          </label>
          <div class="tool-card-actions">
            <button type="submit" class="button button--danger button--small" disabled={!live} data-testid="tool-reject-confirm">
              Reject
            </button>
            <button type="button" class="button button--ghost button--small" onClick={() => setRejecting(false)} data-testid="tool-reject-back">
              Back
            </button>
          </div>
        </form>
      )}
      {(phase === "approving" || phase === "rejecting") && <p class="tool-card-note muted">Sending your answer…</p>}
    </section>
  );
}

/** A line for a tool call that runs or ended: "Creating project…", "Created", "Rejected". */
function ToolStatus({ call }: { call: ToolCallView }) {
  const phase = call.phase.value;
  const busy = phase === "running" || phase === "approved";
  const summary = call.summary.value;
  const icon = busy ? "…" : phase === "failed" ? "✕" : phase === "rejected" ? "–" : "✓";
  return (
    <div class={`tool-status tool-status--${phase}`} role="status" data-testid="tool-status" data-phase={phase} data-tool-call-id={call.toolCallId}>
      <span class="tool-status-icon" aria-hidden="true">
        {icon}
      </span>
      <span class="tool-status-label" data-testid="tool-status-label">
        {toolLabel(call.name, phase)}
      </span>
      {phase === "rejected" && call.note.value && <span class="tool-status-detail">({call.note.value})</span>}
      {(phase === "failed" || phase === "answered") && summary && <span class="tool-status-detail">{summary}</span>}
      {phase === "done" && summary && (
        <details class="tool-status-details">
          <summary>Details</summary>
          <p class="tool-status-detail">{summary}</p>
        </details>
      )}
    </div>
  );
}

/** One tool call of a reply: a confirmation card while it waits for the member, else a status line. */
export function ToolCall({ toolCallId, chat }: { toolCallId: string; chat: ChatModel }) {
  // Read so that this re-renders when the call becomes known (a card restored, an event replayed).
  void chat.tools.version.value;
  const call = chat.tools.get(toolCallId);
  if (!call) return null;
  return CARD_PHASES.has(call.phase.value) ? <ConfirmCard call={call} chat={chat} /> : <ToolStatus call={call} />;
}
