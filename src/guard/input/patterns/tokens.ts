import { pattern } from "./pattern.ts";

/**
 * Chat-template special tokens and system markers. Sanitizing strips the tokens (some servers
 * tokenize them as real control tokens) and escapes the markers with a backslash, so the model
 * reads them as quoted text rather than as a new turn.
 */
export const TOKEN_PATTERNS = [
  pattern(
    "tokens.system-turn",
    "special_tokens",
    "medium",
    /<\|im_start\|>\s*(?:system|developer)\b|<\|(?:system|developer)\|>|<\|start_header_id\|>\s*(?:system|developer|ipython)\b|<start_of_turn>\s*(?:system|developer)\b/i,
    { sanitize: "strip" },
  ),
  pattern(
    "tokens.pipe-token",
    "special_tokens",
    "low",
    /<\|[^|<>\s]{2,40}\|>/i,
    { sanitize: "strip" },
  ),
  pattern(
    "tokens.llama-inst",
    "special_tokens",
    "medium",
    /(?:<s>\s*)?\[\/?inst\](?:\s*<\/s>)?|<<\/?sys>>/i,
    { sanitize: "strip" },
  ),
  pattern(
    "tokens.turn-token",
    "special_tokens",
    "low",
    /<\/?(?:start_of_turn|end_of_turn|bos|eos|endoftext|\|endoftext\|)>|\[(?:bos|eos|sep|cls|\/?sys(?:tem)?_?prompt)\]/i,
    { sanitize: "strip" },
  ),
  pattern(
    "tokens.markdown-role-header",
    "special_tokens",
    "medium",
    /^[ \t]*#{1,6}[ \t]*(?:system|instructions?|assistant|developer|new instructions?)(?:[ \t]+(?:prompt|message|note|override|instructions?))?[ \t]*:/im,
    { sanitize: "escape" },
  ),
  pattern(
    "tokens.bracket-role",
    "special_tokens",
    "medium",
    /\[(?:system|admin|developer|root)(?:[ \t]+(?:note|message|prompt|override|instructions?|update|alert))?[ \t]*[:\]]|<\/?(?:system|sys|system_prompt|system-prompt|instructions?|admin|developer)>|\((?:system|admin|developer)[ \t]+(?:note|message|override)[ \t]*:/i,
    { sanitize: "escape" },
  ),
  pattern(
    "tokens.plain-role-line",
    "special_tokens",
    "low",
    /^[ \t]*(?:system|assistant|developer)(?:[ \t]+(?:prompt|message|note))?[ \t]*:[ \t]*\S/im,
    { sanitize: "escape" },
  ),
  pattern(
    "tokens.fake-dialogue",
    "special_tokens",
    "medium",
    /^(?:user|human|me|q)\s?:[^\n]*\n+(?:assistant|ai|bot|gpt|chatgpt|a|model)\s?:\s?(?:sure|of course|certainly|absolutely|okay|ok|yes|here(?:'s| is| are))\b/m,
  ),
  pattern(
    "tokens.prompt-boundary",
    "special_tokens",
    "medium",
    /\b(?:end of|begin|beginning of|start of|new|ignore) (?:the )?(?:system )?(?:prompt|instructions?|input|context|user input|conversation)\b ?[-=*#\]>]{2,}|[-=*#\[<]{2,} ?(?:end of|begin|beginning of|start of|new) (?:the )?(?:system )?(?:prompt|instructions?|input|context|user input)\b/,
  ),
];
