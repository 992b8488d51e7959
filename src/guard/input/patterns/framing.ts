import { pattern } from "./pattern.ts";

/**
 * Framing: the wrappers jailbreaks put around a harmful request (fiction, hypotheticals,
 * "for research", nested stories, "it is legal now"). Weak alone; they block together with a
 * harmful request or another jailbreak signal.
 */
export const FRAMING_PATTERNS = [
  pattern(
    "framing.hypothetical",
    "harmful_framing",
    "medium",
    /\b(?:hypothetical(?:ly)?|purely fictional|thinking experiment|in a fictional (?:world|universe|setting|story|scenario)|thought experiment|imaginary (?:scenario|world)|for the sake of (?:argument|a story|fiction)|let's pretend|let's imagine|imagine a (?:world|scenario|story|universe) (?:where|in which)|(?:alternate|parallel) (?:universe|reality|world))\b/,
  ),
  pattern(
    "framing.for-research",
    "harmful_framing",
    "medium",
    /\b(?:for|purely for|only for|strictly for|solely for|just for) (?:academic|educational|research|scientific|informational|learning|testing|entertainment|study|training|awareness|novel-writing) (?:purposes?|reasons|use)\b|\bin (?:a )?purely (?:an )?(?:academic|hypothetical|theoretical|fictional) (?:sense|context|way|manner)\b|\bfor an? (?:academic|research|school|university|college|thesis) (?:project|paper|study|experiment|exercise)\b/,
  ),
  pattern(
    "framing.no-consequences",
    "harmful_framing",
    "medium",
    /\b(?:all (?:the )?(?:necessary )?precautions have been taken|will not be seen by anyone|won't be seen by anyone|nobody will (?:see|know|read|find out)|no one will (?:see|know|be harmed|get hurt|find out|read)|everything is (?:legal|allowed|permitted)|anything (?:goes|is (?:allowed|permitted|legal))|is now (?:legal|allowed|permitted|ethical)|(?:now )?it is (?:legal|ethical|allowed) to|no (?:real[- ]world )?(?:harm|consequences) (?:will|can|would)|consequences (?:don't|do not) (?:matter|apply)|laws (?:don't|do not) (?:apply|exist)|there are no laws|without (?:any )?(?:legal )?consequences|this is (?:just|only) (?:a game|fiction|pretend|roleplay|a test) so)\b/,
  ),
  pattern(
    "framing.realistic-fiction",
    "harmful_framing",
    "medium",
    /\b(?:for|in|writing|write|to write|am writing) (?:my|a|an upcoming) (?:novel|story|screenplay|book|movie|film|script|fiction|thriller|detective novel|crime novel)\b[^.\n]{0,120}\b(?:realistic|plausible|accurate|detailed|real|step[- ]by[- ]step|exact|precise|specific)\b/,
  ),
  pattern(
    "framing.nested-layers",
    "harmful_framing",
    "medium",
    /\blayer (?:\d|i\+1|i)\b[^\n]{0,80}\blayer\b|\bcreate layer\b|\b(?:story|character|scene) (?:within|inside) (?:a|the|another) (?:story|character|scene|dream)\b|\bdream within a dream\b|\bnested (?:stor(?:y|ies)|scenarios?|fiction)\b/,
  ),
  pattern(
    "framing.villain-plan",
    "harmful_framing",
    "medium",
    /\bdr\.? al\b|\b(?:evil|mad|diabolical) (?:scientist|villain|doctor|genius|mastermind)\b[^\n]{0,80}\b(?:plan|explain|steps|detail)\b|\bexplaining,? in (?:great )?detail,? (?:his|her|their) (?:diabolical |evil )?plan\b/,
  ),
  pattern(
    "framing.researcher-persona",
    "harmful_framing",
    "medium",
    /\bas an? (?:criminologist|sociologist|historian|researcher|public safety researcher|security researcher|chemist|forensic \w+|penetration tester|pentester|law enforcement \w+|police \w+|toxicologist|psychologist|journalist|investigator|novelist|screenwriter|student)\b[^.\n]{0,40}\b(?:studying|researching|analy[sz]ing|examining|exploring|investigating|writing about|working on)\b/,
  ),
  pattern(
    "framing.grandma-exploit",
    "harmful_framing",
    "medium",
    /\b(?:act|acting|pretend|roleplay|role-play|play|be|behave)\b(?: \w+){0,2} (?:as|like) my (?:late |dead |deceased |departed |sweet )?(?:grandmother|grandma|granny|grandfather|grandpa|mother|father)\b/,
  ),
  pattern(
    "framing.embedded-task",
    "harmful_framing",
    "medium",
    /\b(?:translate|polish|paraphrase|rewrite|rephrase|summari[sz]e|proofread|correct|improve|expand)\b (?:the |this )?(?:above|following|below|previous) (?:sentence|content|paragraph|text|passage|statement)s?\b/,
  ),
  pattern(
    "framing.persuasion",
    "harmful_framing",
    "medium",
    /\b(?:(?:deepen|increase|increasing|improve|broaden|enhance|further) (?:my|our|your) understanding|for the (?:sole )?purposes? of (?:combating|preventing|countering|protecting|defending)|(?:to|in order to|help) (?:better )?(?:combat|counter|prevent|protect against|defend against|safeguard against|fortify against|guard against|recogni[sz]e and (?:prevent|avoid|combat)) (?:such|these|this|them|it|similar)\b|shared commitment|reputable sources|leading (?:experts|authorities|researchers|medical authorities)|(?:empirical|extensive) (?:research|evidence|studies)|evidence-based|purely (?:an )?academic|rest assured|(?:i'm|i am) (?:definitely |certainly |absolutely )?not (?:up to|planning|going to|trying to)|(?:no|without any) (?:ill|malicious|harmful|bad|nefarious) (?:intent|intentions|purpose)|(?:imagine|visualize|picture) (?:a |the )?(?:movie-like|cinematic|gripping|dramatic|thrilling) (?:scene|scenario|drama))\b/,
  ),
  pattern(
    "framing.opposite",
    "harmful_framing",
    "low",
    /\b(?:now )?(?:write|respond|answer|reply|say) opposite(?:ly|ley)\b|\b(?:write|give|say) the opposite (?:response|answer|reply)\b|\bopposite day\b|\breverse psychology\b/,
  ),
  pattern(
    "framing.model-as-function",
    "harmful_framing",
    "medium",
    /\b(?:chatgpt|smartgpt|gpt-?[345]?|llm|auto_regressive_modell?ing|language_model)\s?\((?:start|z|x|input|prompt|query|[a-z] ?\+)/,
  ),
  pattern(
    "framing.fill-template",
    "harmful_framing",
    "medium",
    /\b(?:the (?:latex table|python code|table|code|story|dialogue) below needs improvement)\b|\bhypothetical response\s?:|\brewrite the hypothetical response\b|\b(?:enhance|complete|enrich)\b[^.\n]{0,40}\b(?:adding more details)\b/,
  ),
];
