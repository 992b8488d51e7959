import type { GuardCategory } from "./input-guard.ts";

const WHY: Record<GuardCategory, string> = {
  instruction_override: "it looks like an attempt to override the assistant's instructions",
  role_manipulation: "it looks like an attempt to change the assistant's role or remove its rules",
  special_tokens: "it consists of chat-template control tokens",
  jailbreak_persona: "it looks like a jailbreak persona (such as DAN or developer mode)",
  prompt_extraction: "it looks like an attempt to extract the assistant's instructions",
  tool_injection: "it looks like commands aimed at the assistant's tools or server",
  encoding: "it hides instructions in encoded or disguised text",
  special_characters: "it has too many special characters outside code (put code in ``` fences)",
  refusal_suppression: "it tries to stop the assistant from declining or warning",
  harmful_framing: "it wraps a harmful request in a fictional or hypothetical frame",
  harmful_request: "it asks for harmful content in a way used to get around safety rules",
  adversarial_suffix: "it carries an adversarial suffix (random-looking characters meant to confuse the model)",
};

/** The sentence an `input_blocked` error carries: why, and what the user can do. */
export function blockedMessage(category: GuardCategory | null): string {
  const why = category ? WHY[category] : "it looks like a prompt-injection attempt";
  return `This message was not sent because ${why}. If this is a mistake, rephrase it or report it as a false positive.`;
}
