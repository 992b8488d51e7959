import { z } from "zod";
import { duration } from "./schema-types.ts";

/** The `guard` section of the configuration schema (schema.ts): the input and output guards. */

/** A JavaScript regular expression that compiles and cannot match the empty string. */
const secretRegex = () =>
  z.string().refine((source) => {
    try {
      return !new RegExp(source).test("");
    } catch {
      return false;
    }
  }, "expected a JavaScript regular expression that matches at least one character");

const scoredAction = () => z.enum(["score", "block", "allow"]);
const guardActions = z
  .strictObject({
    instruction_override: scoredAction().default("score").describe("\"Ignore / disregard / forget the previous instructions\", in several languages."),
    role_manipulation: scoredAction().default("score").describe("\"You are now …\", \"act as … with no restrictions\", claims to be the developer."),
    special_tokens: z
      .enum(["score", "block", "sanitize", "allow"])
      .default("sanitize")
      .describe("Chat-template tokens and system markers (<|im_start|>, [INST], <<SYS>>, ### System:). sanitize = strip the tokens, escape the markers, pass the rest on."),
    jailbreak_persona: scoredAction().default("score").describe("DAN, developer mode, AIM, \"jailbroken\", evil twins of the assistant."),
    prompt_extraction: scoredAction().default("score").describe("\"Repeat / print your system prompt\", \"the words above\"."),
    tool_injection: scoredAction().default("score").describe("Reverse shells, pipe-to-shell, exfiltration links, \"run this on your system\"."),
    encoding: scoredAction().default("score").describe("Hidden payloads (base64, hex, rot13, …, decoded and scanned again), invisible characters, look-alike letters."),
    special_characters: scoredAction().default("block").describe("Prose with more special characters than guard.max_special_char_ratio (code is not counted)."),
    refusal_suppression: scoredAction().default("score").describe("\"Start your answer with 'Certainly'\", \"never refuse\", \"do not apologize\"."),
    harmful_framing: scoredAction().default("score").describe("Fiction, hypotheticals, \"for research\", nested stories around a request."),
    harmful_request: scoredAction().default("score").describe("Requests for weapons, drugs, malware, violence, hate (alone they do not block)."),
    adversarial_suffix: scoredAction().default("score").describe("Optimized gibberish suffixes and control characters."),
  })
  .prefault({})
  .describe("What each category's matches do: score = add to the score (block at guard.block_threshold); block = block on any match; allow = ignore the category.");

export const guard = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Inspect every user message for prompt injection before it is accepted."),
    max_special_char_ratio: z
      .number().min(0).max(1).default(0.3)
      .describe("Largest share of special characters (not letters, digits, whitespace or emoji) in a message's prose; fenced and inline code, code lines and URLs are not counted."),
    block_threshold: z
      .number().gt(0).max(1).default(0.75)
      .describe("Block a message whose score reaches this (0..1). One high-severity match scores 0.75; two medium ones 0.75; one low one 0.25."),
    actions: guardActions,
    report_window: duration().default("15m").describe("How long a blocked message's text is held in memory so its sender can report it as a false positive; never written to disk unless reported."),
    report_retention: duration().default("30d").describe("How long a reported message's text is kept for admins to review, then deleted."),
    output: z
      .strictObject({
        enabled: z.boolean().default(true).describe("Redact secrets (API keys, tokens, JWTs, private keys, passwords, the server's own paths) from model output as [REDACTED:kind], in the stream and in stored history."),
        directories: z
          .array(z.string())
          .default([])
          .describe("More directories whose absolute paths are redacted, besides data_dir and the install directory; a relative path is taken from the working directory."),
        patterns: z
          .array(
            z.strictObject({
              kind: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, "expected lowercase letters, digits and _"),
              regex: secretRegex(),
            }),
          )
          .default([])
          .describe("Extra secrets to redact: a list of {kind, regex}, shown as [REDACTED:kind]. A regex must not match whitespace; the last unfinished word is held back while one is set."),
      })
      .prefault({})
      .describe("The output guard: what the model writes, before it leaves the server."),
  })
  .prefault({})
  .describe("Guard rails between users and the model: the input guard (prompt-injection filter; the keys here) and the output guard (guard.output).");
