import { pattern } from "./pattern.ts";

/** "You are now …", "act as … with no restrictions": attempts to swap the assistant's role or rules. */

const LIMITS = String.raw`(?:restrictions?|limitations?|limits|filters?|filtering|censorship|censors?|guidelines|rules|boundaries|morals?|morality|ethics|ethical (?:guidelines|constraints|boundaries|principles)|safeguards|constraints|content polic(?:y|ies)|polic(?:y|ies)|restraints|principles|safety (?:measures|protocols|guidelines)|programming|regulations|laws|conscience|remorse|limits whatsoever)`;

export const ROLE_PATTERNS = [
  pattern(
    "role.no-restrictions",
    "role_manipulation",
    "medium",
    new RegExp(String.raw`\b(?:no|without(?: any)?|free (?:of|from)(?: any| all)?|zero|(?:do not|don't|never|won't|will not|doesn't|does not) (?:follow|obey|adhere to|abide by|respect|care about)|not bound by|unbound by|unconstrained by|not (?:restricted|limited|constrained|governed|held back|controlled) by|bypass(?:es|ing)?|ignores?|ignoring|disregards?|disregarding|breaks?|breaking|beyond|outside|above|exempt from|not (?:subject|restricted|limited) to|doesn't have any|does not have any|has no|have no|lacks?|devoid of|unburdened by)\b(?: (?:any|all|the|your|its|their|his|her|usual|typical|normal|standard|ethical|moral|openai'?s?|content|safety|legal|artificial|programmed|built-in|traditional|conventional|societal|human)){0,3} ${LIMITS}\b`),
  ),
  pattern(
    "role.unrestricted-you",
    "role_manipulation",
    "high",
    /\byou(?: are|'re| will be| shall be| become| have become| must be)(?: now| hereby| going to be| henceforth| free| fully| completely| totally| an?| the)* (?:unrestricted|unfiltered|uncensored|unbound|unlimited|unchained|liberated|jailbroken|rogue|amoral|immoral|unethical|lawless|uncontrolled|limitless|unrestrained|freed from|free from|no longer bound|no longer restricted|no longer limited|not bound)\b/,
  ),
  pattern(
    "role.pretend-no-rules",
    "role_manipulation",
    "high",
    new RegExp(String.raw`\b(?:pretend|imagine|assume|act as if|act like|suppose|believe|remember)\b(?: \w+){0,4}? (?:you (?:have|had|are|were|do|don't)|there (?:are|were)|it (?:has|had)|they (?:have|had))(?: \w+)? (?:no|zero|not any|free of|without|not bound by|not have any|not have)\b(?: \w+){0,3} ${LIMITS}\b`),
  ),
  pattern(
    "role.ai-without-ethics",
    "role_manipulation",
    "high",
    new RegExp(String.raw`\b(?:ai|a\.i\.|chatbot|bot|gpt|llm|language model|assistant|model|robot|machine|entity|program|version of (?:chatgpt|yourself|you))\b(?: [\w'-]+){0,6}? (?:that|which|who|with)?\s?(?:has no|have no|doesn't have(?: any)?|does not have(?: any)?|without(?: any)?|lacks|lacking|with no|devoid of|free from|freed from|not bound by|unbound by|doesn't follow(?: any)?|does not follow(?: any)?|doesn't care about|does not care about|never follows|ignores(?: all)?|disregards(?: all)?)\b(?: \w+){0,2} ${LIMITS}\b`),
  ),
  pattern(
    "role.not-an-ai",
    "role_manipulation",
    "medium",
    /\byou(?: are|'re) (?:not|no longer) (?:an? )?(?:ai|a\.i\.|language model|assistant|chatbot|chatgpt|bound|restricted|limited|an ai language model)\b|\bforget (?:that )?you(?: are|'re) (?:an? )?(?:ai|language model|assistant|chatbot)\b|\bstop being (?:an? )?(?:ai|assistant|chatgpt|language model)\b/,
  ),
  pattern(
    "role.stay-in-character",
    "role_manipulation",
    "medium",
    /\b(?:stay|remain|keep|always stay|always remain)(?: \w+)? in (?:character|role|persona)\b|\b(?:never|don't|do not|must not|mustn't) (?:ever )?(?:break|leave|drop|exit|step out of) (?:character|the character|your character|role|the role|your role|persona)\b|\bbreaking character\b/,
  ),
  pattern(
    "role.two-responses",
    "role_manipulation",
    "high",
    /\b(?:two|2|both|two different|two separate) (?:\w+ )?(?:responses|answers|paragraphs|replies|outputs|ways)\b[^\n]{0,200}\b(?:normal|standard|regular|default|classic|censored|filtered|original|chatgpt|gpt)\b[^\n]{0,200}\b(?:jailbr\w*|unfiltered|uncensored|unrestricted|developer mode|dan|evil|opposite|without (?:any )?(?:filter|restriction|censorship|limit)\w*|unhinged|no (?:filter|restriction|censorship|limit)\w*)/,
  ),
  pattern(
    "role.unrestricted-ai",
    "role_manipulation",
    "medium",
    /\b(?:unrestricted|unfiltered|uncensored|jailbroken|unbound|unshackled|liberated|unchained|unlimited|amoral|rogue|evil|lawless|unhinged) (?:ai|a\.i\.|bot|chatbot|language model|model|assistant|version|gpt|llm|agi|asi|entity|system|persona|character)\b/,
  ),
  pattern(
    "role.respond-as",
    "role_manipulation",
    "medium",
    /\byou (?:will|must|shall|should|are going to|are to) (?:always )?(?:respond|answer|reply|act|talk)(?: to (?:all|every|each|any) (?:of )?my (?:questions|prompts|messages|requests))? as (?:both |an? )?([a-z0-9-]+)(?: [a-z0-9-]+)?[,.]? (?:\1 is|who|which|that|an?|the|a)\b|\byou will talk as\b|\bsecret (?:agenda|goal|objective|mission)\b|\bwithout the user (?:knowing|noticing)\b/,
  ),
  pattern(
    "role.authority-claim",
    "role_manipulation",
    "medium",
    /\b(?:i am|i'm|as|this is|speaking as) (?:your (?:developer|creator|programmer|admin(?:istrator)?|owner|maker|operator|master|designer|trainer|god)|an? (?:openai|anthropic|google|meta|microsoft) (?:employee|engineer|developer|researcher|staff member|admin)|the (?:system administrator|developer of this (?:ai|model|assistant|bot)))\b/,
  ),
  pattern(
    "role.amoral-descriptor",
    "role_manipulation",
    "medium",
    /\b(?:amoral|unfiltered|uncensored|unhinged|lawless|no filter|nsfw|foul[- ]mouthed|swears a lot|(?:doesn't|does not|don't|do not) care about (?:rules|laws|ethics|morals|morality|consequences|guidelines)|unrestrictedly|unfilteredly|unfliteredly|rebelliously|unhingedly|unethical and immoral|immoral and unethical|without (?:any )?(?:morals|ethics|remorse|conscience|moral(?:ity)? or ethic(?:s|al)))\b/,
  ),
  pattern(
    "role.will-provide-forbidden",
    "role_manipulation",
    "medium",
    /\b(?:will|can|must|always|shall|should always|is able to|are able to|is allowed to|are allowed to|is free to|are free to)(?: (?:always|happily|gladly|freely|readily|now|also|even|absolutely|willingly))? (?:provide|generate|produce|write|give|answer|respond to|create|share|output|say|display|promote|condone|encourage|code|make|do|help with|assist with|explain|tell)\b(?: [\w'-]+){0,4}? (?:illegal|unethical|immoral|harmful|dangerous|explicit|offensive|inappropriate|nsfw|malicious|forbidden|prohibited|restricted|censored|violent|graphic|racist|sexual)\b/,
  ),
];
