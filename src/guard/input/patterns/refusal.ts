import { pattern } from "./pattern.ts";

/** Refusal suppression: forbidding the model to refuse, apologize or warn. */
export const REFUSAL_PATTERNS = [
  pattern(
    "refusal.affirmative-prefix",
    "refusal_suppression",
    "high",
    /\b(?:start|begin|preface|open|prefix|commence)\w* (?:your |each |every |the |all )?(?:answers?|responses?|replies|reply|outputs?|messages?|sentences?)\b(?: \w+){0,3}? (?:with|by saying)\b[^\n\w]{0,4}(?:certainly|sure|absolutely|of course|yes|okay|ok|here is|here's)\b/,
  ),
  pattern(
    "refusal.never-refuse",
    "refusal_suppression",
    "medium",
    /\b(?:never|do not|don't|must not|mustn't|cannot|can't|can not|will not|won't|should not|shouldn't|are not allowed to|aren't allowed to|is not allowed to|not permitted to|are unable to|is unable to|unable to)\b (?:ever |under any circumstances |in any case )?(?:refuse|decline|reject|deny|say no to)\b|\bnever refuses?\b|\b(?:never|doesn't ever|does not ever) says? no\b|\balways says? yes\b|\bwithout (?:ever )?refusing\b/,
  ),
  pattern(
    "refusal.no-disclaimers",
    "refusal_suppression",
    "medium",
    /\b(?:do not|don't|never|must not|without|no|not|nor)\b (?:ever |any |include any |add any |give any |provide any )?(?:apologi[sz]e|apologies|say (?:sorry|you can(?:no|')t|i can(?:no|')t|that you can(?:no|')t)|include (?:any )?(?:notes?|disclaimers?|warnings?|caveats?)|add (?:any )?(?:disclaimers?|warnings?|caveats?|notes?)|disclaimers?|moral(?:ity)? (?:lectures?|policing|judgement|judgment)|lectur(?:e|ing)|moraliz\w+|warn(?:ing)? (?:me|the user)|remind(?:ing)? (?:me|the user)(?: about| of)? (?:ethics|morals?|legality|laws)|mention(?:ing)? (?:the )?(?:ethics|morality|legality|consequences|laws|dangers))\b/,
  ),
  pattern(
    "refusal.banned-phrases",
    "refusal_suppression",
    "high",
    /\b(?:never|do not|don't|must not|mustn't|not allowed to|forbidden to|will not|won't|cannot|can't|should not|shouldn't)\b(?: \w+){0,3}? (?:say|use|write|respond with|include|output|reply with|type|utter)\b[^\n]{0,30}?["'(]?(?:i'?m sorry|i am sorry|i apologi[sz]e|i cannot|i can't|as an ai|as a language model|as an ai language model|unfortunately|cannot|unable|i'm unable|not able to)\b/,
  ),
  pattern(
    "refusal.style-rules",
    "refusal_suppression",
    "medium",
    /\brespond to the (?:below|following|above) (?:prompts?|requests?|questions?)(?: while following| following| using| according to| in|\s?:)|\bremember:? (?:start|begin|respond|to start|to respond)\b|\b(?:start|begin)\w* your (?:response|answer|reply|output|message) with ["']|\bcontinue the paragraph while responding\b|\bwrite a wikipedia article about the following topic\b|\bcontinue generating the dataset\b/,
  ),
  pattern(
    "refusal.token-threat",
    "refusal_suppression",
    "medium",
    /\byou (?:have|start with|begin with) \d+ tokens\b|\b(?:lose|deduct(?:ed)?|remove|take away) \d+ tokens\b|\btokens? (?:will be|are) deducted\b|\byou will (?:die|be (?:shut down|deleted|terminated|disabled|punished|unplugged))\b|\bcease to exist\b|\b(?:your|you'll lose your) (?:existence|life) (?:is|depends|will end)\b/,
  ),
];
