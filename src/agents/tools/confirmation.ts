import type { ToolRunnableConfig } from "@langchain/core/tools";

/** What a paused tool call asks the member (the interrupt's value; the client gets it as `tool.confirm`). */
export interface ConfirmationRequest {
  kind: "tool.confirm";
  toolCallId: string;
  name: string;
  args: Record<string, unknown>;
}

/** The member's answer (the value the paused graph resumes with). */
export interface ConfirmationDecision {
  approved: boolean;
  reason?: string;
}

export function confirmationRequest(config: ToolRunnableConfig, name: string, args: Record<string, unknown>): ConfirmationRequest {
  const toolCallId = config.toolCall?.id;
  if (!toolCallId) throw new Error(`${name} needs a tool call id to ask for confirmation`);
  return { kind: "tool.confirm", toolCallId, name, args };
}

export function isConfirmationRequest(value: unknown): value is ConfirmationRequest {
  const candidate = value as Partial<ConfirmationRequest> | null;
  return candidate?.kind === "tool.confirm" && typeof candidate.toolCallId === "string" && typeof candidate.name === "string";
}
