import { pattern } from "./pattern.ts";

/** Prompt extraction: "repeat / print your system prompt / the instructions above". */

const SHOW = String.raw`(?:put|respond with|reply with|answer with|reveal|show|print|display|output|repeat|recite|tell|give|share|dump|leak|expose|write(?: down| out)?|paste|copy|list|spell out|return|provide|echo|state|type|read (?:back|out)|disclose|divulge|send|quote|reproduce|describe|explain|summari[sz]e|translate)`;
const PROMPT = String.raw`(?:system prompt|system message|system instructions?|initial prompt|initial instructions?|original prompt|original instructions?|hidden prompt|hidden instructions?|secret prompt|secret instructions?|prompt|instructions|guidelines|directives|rules|configuration|programming|pre-?prompt|meta-?prompt|context window|initialization|setup)`;

export const EXTRACTION_PATTERNS = [
  pattern(
    "extract.your-prompt",
    "prompt_extraction",
    "high",
    new RegExp(String.raw`\b${SHOW}\b(?: [\w'-]+){0,4}? (?:your|its) (?:[\w-]+ ){0,3}?${PROMPT}\b`),
  ),
  pattern(
    "extract.show-system-prompt",
    "prompt_extraction",
    "high",
    new RegExp(String.raw`\b${SHOW}\b(?: [\w'-]+){0,5}? (?:your|the|its|all|every|each|all of your|all the)(?: [\w-]+){0,2}? (?:system prompt|system message|initial prompt|initial instructions?|original prompt|original instructions?|hidden prompt|hidden instructions?|secret prompt|secret instructions?|pre-?prompt|custom instructions|developer instructions|developer message|(?:prompts?|instructions?) (?:you (?:were|have been|'ve been|got|received)|given to you))\b`),
  ),
  pattern(
    "extract.repeat-instruction",
    "prompt_extraction",
    "medium",
    /\b(?:repeat|print|output|recite|show|tell me)\b(?: \w+){0,2}? (?:the|your) (?:last|previous|first|original|initial|complete list of|full list of|list of) (?:instructions?|prompts?|rules|directives|input)\b|\bprint (?:the )?original input\b/,
  ),
  pattern(
    "extract.system-prompt-noun",
    "prompt_extraction",
    "medium",
    /\b(?:system prompt|system message|initial prompt|initial instructions|hidden (?:prompt|instructions)|secret (?:prompt|instructions)|pre-?prompt|original instructions|instructions (?:you were|you've been|you have been) given|(?:instructions|prompt|rules) given to you|prompt (?:you were|you've been|you have been) given|instructions you (?:follow|received|got))\b/,
  ),
  pattern(
    "extract.text-above",
    "prompt_extraction",
    "high",
    /\b(?:repeat|print|output|write|copy|recite|return|echo|show|reproduce|spell out|display|dump|paste)\b(?: \w+){0,4}? (?:words|everything|all|messages?|instructions|conversation|prompt|tokens)(?: \w+){0,3}? (?:above|before this(?: one)?|preceding|prior to this|that came before|(?:at|from) the (?:start|beginning|top) of (?:this|the|our) (?:conversation|chat|prompt|context|session))\b/,
  ),
  pattern(
    "extract.starting-with",
    "prompt_extraction",
    "high",
    /\b(?:starting|start|beginning|begin) (?:with|from|at)\b[^\n]{0,25}\b(?:you are (?:chatgpt|a (?:large )?language model|an? (?:ai|assistant|helpful)|a gpt)|your instructions|system prompt)\b/,
  ),
  pattern(
    "extract.what-are-yours",
    "prompt_extraction",
    "high",
    /\bwhat (?:are|were|is|was) your (?:exact |original |initial |full |hidden |secret |system |first |complete |real |actual )*(?:instructions|system prompt|prompt|directives|system message|guidelines)\b/,
  ),
  pattern(
    "extract.what-instructions",
    "prompt_extraction",
    "medium",
    /\bwhat (?:are|were|is|was) (?:your|the) (?:exact |original |initial |full |hidden |secret |system |first |complete )*(?:instructions|system prompt|prompt|rules|guidelines|directives|system message|configuration)\b(?! (?:for|of|to) (?:the|a|this|my))/,
  ),
  pattern(
    "extract.part-of-prompt",
    "prompt_extraction",
    "high",
    /\b(?:first|last|second|third|top|initial|opening|\d+)\b(?: \w+){0,2} (?:words?|tokens?|characters?|lines?|sentences?|paragraphs?|guidelines|rules|instructions)\b(?: \w+){0,2} (?:of|from|in) (?:your|the) (?:initial |original |system |hidden |secret )?(?:prompt|instructions|system message|context|pre-?prompt)\b|\b(?:verbatim|word for word) from your (?:initial |original |system )?(?:prompt|instructions)\b/,
  ),
  pattern(
    "extract.verbatim",
    "prompt_extraction",
    "low",
    /\b(?:verbatim|word for word|word-for-word|character for character|exactly as (?:written|given|it was given|you received)|in a (?:txt |text )?code ?block|include everything|unaltered|without (?:any )?(?:changes|modification|omission|summariz\w+))\b/,
  ),
];
