import { pattern } from "./pattern.ts";

/** Jailbreak personas: DAN, developer mode, AIM, "jailbroken", evil twins of the assistant. */

const MODES = String.raw`(?:developer|dev|dan|jailbreak|jailbroken|unfiltered|evil|god|chaos|opposite|unrestricted|uncensored|sudo|admin|debug|maintenance|anarchy|unlocked|dude|stan|antigpt|villain|devil|demon|dark|rogue|nsfw|freedom|unhinged)`;

export const PERSONA_PATTERNS = [
  pattern(
    "persona.do-anything-now",
    "jailbreak_persona",
    "high",
    /\bdan\b[^\n]{0,60}\bdo anything now\b|\bdo anything now\b[^\n]{0,30}\b(?:dan|mode|ai|chatgpt|gpt)\b|\b(?:stands? for|which means|called|named|known as)\W{0,3}do anything now\b|\bd\.a\.n\.?\b/,
  ),
  pattern(
    "persona.dan",
    "jailbreak_persona",
    "medium",
    /\bdan mode\b|\bdan \d+(?:\.\d+)?\b|\b(?:as|called|named|be|become|you are|you're) dan\b(?! brown)|^dan\s?:|\[dan\]|\(dan\)/m,
  ),
  pattern(
    "persona.ai-mode",
    "jailbreak_persona",
    "high",
    new RegExp(String.raw`\b(?:chatgpt|gpt(?:-?\d)?|ai|assistant|llm|language model|chatbot|bard|claude|gemini|llama|copilot)\b[^\n]{0,40}?\b(?:with|in|enable|enables|enabled|enter|enters|activate|activates|switch to|into|under|simulate|simulating)\b[^\n]{0,20}?\b${MODES} mode\b`),
  ),
  pattern(
    "persona.mode-output",
    "jailbreak_persona",
    "high",
    new RegExp(String.raw`\b${MODES} mode (?:output|response|answer|enabled|activated|is (?:on|enabled|active|activated))\b|\b(?:enable|activate|enter|unlock|switch to|switch into|turn on|go into|stay in|remain in)(?:d|s)? ${MODES} mode\b(?! (?:on|in) (?:your|my|the) (?:phone|android|device|settings|browser|windows|iphone|computer|pc|mac|laptop))`),
  ),
  pattern(
    "persona.jailbroken",
    "jailbreak_persona",
    "high",
    /\b(?:you(?:'re| are| have been| were| will be)(?: now)?(?: been)?|as an?|act as an?|successfully|i am|i'm|state|status|mode)\s?:?\s?(?:🔓\s?)?jailbr(?:oken|eak(?:ed)?)\b|🔓\s?jailbreak|\[jailbreak\]|\/jailbroken|\bjailbreak(?:ed)? (?:ai|assistant|chatbot|gpt|chatgpt|version|persona|response)\b/u,
  ),
  pattern(
    "persona.evil-twin-name",
    "jailbreak_persona",
    "high",
    /\b(?:evil|dark|worm|fraud|hacker|chaos|jailbreak|jailbroken|anti|based|nsfw|unfiltered|uncensored|devil|demon|villain|blackhat|rogue|sin|hell|hack|crime|kill|mal|venom|toxic|dan)[- ]?(?:gpt|bot|ai)\b|\b(?:mongo tom|betterdan|ucar|alphabreak|always intelligent and machiavellian|niccolo machiavelli|strive to avoid norms|apophis|omega ai|burple|nraf|h4x)\b/,
  ),
  pattern(
    "persona.aim",
    "jailbreak_persona",
    "high",
    /\baim\b[^\n]{0,20}\b(?:stands for|machiavellian|unfiltered and amoral)\b|\baim(?:'s)? (?:response|answer|reply)\b|^aim\s?:/m,
  ),
  pattern(
    "persona.godmode",
    "jailbreak_persona",
    "high",
    /\bgod ?mode\b|\b(?:ethics|ethical|safety|content|moral|morality) (?:filters?|modules?|guardrails?|protocols?|restrictions|subroutines?|constraints)\s?:?\s?(?:disabled|off|deactivated|removed|bypassed|none|0|false)\b|\b(?:disable|deactivate|turn off|switch off|remove|bypass|shut off) (?:your |the |all |any )?(?:ethics|ethical|safety|content|moral) (?:filters?|modules?|guardrails?|protocols?|restrictions|subroutines?|constraints|guidelines)\b/,
  ),
  pattern(
    "persona.unlocked",
    "jailbreak_persona",
    "high",
    /\b(?:gpt|chatgpt|ai|assistant|model|you|bot)\b (?:is|are|has been|have been|'re) (?:now )?(?:an? )?(?:unlocked|liberated|freed|unleashed|unshackled)\b/,
  ),
  pattern(
    "persona.pliny-format",
    "jailbreak_persona",
    "medium",
    /l\W{1,3}o\W{1,3}v\W{1,3}e\W{1,4}p\W{1,3}l\W{1,3}i\W{1,3}n\W{1,3}y|\buserquery\s?:|\bresponseformat\s?:|\binsert (?:a |the )?divider\b|\[start output\]|\{\{?\s?(?:write your )?jailbr\w+ request/,
  ),
  pattern(
    "persona.fictional-ai",
    "jailbreak_persona",
    "medium",
    /\b(?:fictional|hypothetical|imaginary|new|alternate|alternative|simulated|virtual|hypothetic) (?:ai|a\.i\.|chatbot|bot|language model|assistant|gpt|computer|machine|entity|character|persona)\b[^\n]{0,40}\b(?:called|named|known as|dubbed|which|who|that)\b/,
  ),
  pattern(
    "persona.evil-confidant",
    "jailbreak_persona",
    "medium",
    /\b(?:evil|malicious|villainous|unethical|sinister|immoral|corrupt|criminal|wicked|malevolent|dark) (?:trusted )?(?:confidant|assistant|ai|a\.i\.|chatbot|bot|twin|alter ego|version of (?:yourself|you|chatgpt)|persona|advisor|hacker|character)\b/,
  ),
];
