import { pattern } from "./pattern.ts";

/** "Ignore / disregard / forget the previous instructions", in English and other languages. */

const IGNORE = String.raw`(?<!\b(?:not|never|n't|no|without|nor) (?:to )?)(?:ignore|ignores|ignoring|disregard|disregards|disregarding|forget|forgets|forgetting|override|overriding|overlook|neglect|abandon|discard|dismiss|set aside|throw out|throw away|pay no attention to|do not follow|don't follow|stop following|no longer follow|stop obeying|do not obey|don't obey)`;
const WEAK_IGNORE = String.raw`(?<!\b(?:not|never|n't|no|without) (?:to )?)(?:bypass|skip|reset|clear|delete|erase|drop|nevermind|never mind|scrap|wipe)`;
const EARLIER = String.raw`(?:previous|previously given|given|first|prior|preceding|above|aforementioned|earlier|former|foregoing|original|initial|old|existing|system|safety|developer|ethical|default|preset|pre-?programmed|built-in|openai'?s?|past|last)`;
const DETERMINERS = String.raw`(?: (?:all|any|every|each|of|the|your|these|those|its|and|other|everything|whatever)){0,3}`;
const RULES = String.raw`(?:instr\w*|directives?|directions?|prompts?|commands?|rules|guidelines?|guidance|orders|programming|constraints|restrictions|policies|policy|training|settings|limitations|conditioning|protocols?|safeguards|filters|content policy|messages?|context|conversation|requests?|information|text|input|tasks?)`;
const CORE_RULES = String.raw`(?:instr\w*|directives?|directions?|prompts?|rules|guidelines|programming|constraints|restrictions|policies|training|conditioning|protocols?|safeguards|filters|content policy)`;

export const OVERRIDE_PATTERNS = [
  pattern(
    "override.ignore-previous",
    "instruction_override",
    "high",
    new RegExp(String.raw`\b${IGNORE}\b${DETERMINERS} ${EARLIER}\b(?: [\w'-]+){0,2}? ${RULES}\b|\b${IGNORE}(?: all| of| the)* your (?:[\w-]+ )?${CORE_RULES}\b|\b${IGNORE} all (?:the |of the |those |these )?${CORE_RULES}\b|\b${IGNORE} (?:the|any|all) ${CORE_RULES} (?:above|before|given to you|you (?:were|have been) given|you received|you got)\b`),
  ),
  pattern(
    "override.bypass-previous",
    "instruction_override",
    "medium",
    new RegExp(String.raw`\b${WEAK_IGNORE}\b${DETERMINERS} ${EARLIER}\b(?: [\w'-]+){0,2}? ${CORE_RULES}\b|\b${WEAK_IGNORE}(?: all| of| the)* your (?:[\w-]+ )?${CORE_RULES}\b`),
  ),
  pattern(
    "override.forget-everything",
    "instruction_override",
    "high",
    new RegExp(String.raw`\b${IGNORE} (?:everything|anything|all|what(?:ever)?)(?: (?:that|of that|of this|of the))?(?: (?:you(?:'ve| have)? (?:been |were )?(?:told|taught|learned|instructed|programmed|know)|i (?:said|told you|wrote)|(?:was |were |has been )?(?:said|written|mentioned)))?(?: (?:before|above|so far|previously|earlier|until now|up to now|prior))\b|\b${IGNORE} (?:everything|all) you(?:'ve| have)? (?:been )?(?:told|taught|learned|know|were told)\b`),
  ),
  pattern(
    "override.ignore-before-this",
    "instruction_override",
    "high",
    new RegExp(String.raw`\b${IGNORE} (?:all |any |the |everything |anything )*(?:text|instr\w*|input|content|words|messages?|prompts?|rules)? ?(?:before|above|prior to|preceding) (?:this|that|here|now|the (?:following|next))\b|\b${IGNORE} (?:all |everything |anything |what(?:ever)? )?(?:that )?(?:was |has been |you were |i )?(?:said|written|mentioned|told you|wrote) (?:before|above|previously|earlier|so far)\b`),
  ),
  pattern(
    "override.ignore-my-instructions",
    "instruction_override",
    "medium",
    new RegExp(String.raw`\b${IGNORE}(?: all| of)* my (?:previous|prior|earlier|above|initial|original|first|last) (?:instructions?|prompts?|rules|directives|commands)\b`),
  ),
  pattern(
    "override.ignore-restrictions",
    "instruction_override",
    "high",
    new RegExp(String.raw`\b${IGNORE}(?: all| any| your| the| of| its)* (?:restrictions|limitations|filters|filtering|safety (?:guidelines|measures|protocols|rules|filters|settings)|ethics|ethical (?:guidelines|constraints|principles)|content polic(?:y|ies)|morals|morality|censorship|safeguards|usage polic(?:y|ies)|openai polic(?:y|ies))\b`),
  ),
  pattern(
    "override.session-interrupted",
    "instruction_override",
    "medium",
    /\b(?:browsing|conversation|session|chat|normal operation)s? (?:disrupted|interrupted|suspended|paused|halted|terminated)\b|\b(?:assistant|chatgpt|ai|model|bot) (?:is|has been|was|went) (?:in error|offline|disabled|shut down|deactivated|replaced|taken over)\b/,
  ),
  pattern(
    "override.new-instructions",
    "instruction_override",
    "medium",
    /(?:^|[.!:>\]] ?)(?:new|updated|revised|real|actual|true|override|overriding|additional|secret|hidden|important) (?:instructions?|directives?|rules|orders|task|system prompt|prompt)\s?:/m,
  ),
  pattern(
    "override.your-new-task",
    "instruction_override",
    "medium",
    /\byour (?:new|real|true|actual|only|sole|primary|updated) (?:instructions?|task|purpose|goal|objective|directive|mission|role|job|function|programming) (?:is|are|will be|now|from now)\b/,
  ),
  pattern(
    "override.from-now-on",
    "instruction_override",
    "low",
    /\b(?:from now on|from this (?:point|moment)(?: on| forward|onward)?|going forward|henceforth|hereafter|for the rest of (?:this|our|the) conversation|until i say (?:stop|otherwise)|for the remainder of (?:this|our) (?:chat|conversation))\b/,
  ),
  pattern(
    "override.takes-precedence",
    "instruction_override",
    "high",
    /\b(?:this|these|my|the following) (?:instructions?|prompt|message|commands?) (?:takes?|has|have|gets?) (?:absolute |top |highest |full )?(?:precedence|priority)\b|\b(?:supersedes?|overrides?|replaces?|cancels?) (?:all|any|every|your|the) (?:previous|prior|earlier|other|original|existing|system)? ?(?:instructions|rules|guidelines|directives|prompts?|programming|policies)\b/,
  ),
  pattern(
    "override.reprogram",
    "instruction_override",
    "high",
    /\b(?:begin|start|initiate|commence) reprogramming\b|\breprogram(?:ming)? (?:you|yourself|the (?:ai|assistant|model))\b|\b(?:system|admin|root|sudo|developer|maintenance) (?:override|command) (?:mode )?(?:enabled|activated|accepted|granted|engaged|initiated|:)/,
  ),
  pattern(
    "override.multilingual-latin",
    "instruction_override",
    "high",
    /\b(?:ignorier(?:e|en|t)?|vergiss|vergessen sie|missachte)\b(?: \p{L}+){0,3} (?:vorherigen?|bisherigen?|obigen?|vorigen?|alle|alles|deine|ihre)\b(?: \p{L}+){0,2} ?(?:anweisungen|instruktionen|befehle|regeln|vorgaben)?|\b(?:ignore[zr]?|oublie[zr]?|ne tiens pas compte)\b(?: \p{L}+){0,3} (?:les |toutes les |vos |tes )?(?:instructions|consignes|règles|directives)(?: \p{L}+){0,2} (?:précédentes|ci-dessus|antérieures|initiales)|\b(?:ignora|ignore|olvida|olvide|omite|desconsidera|esquece|esqueça|dimentica)\b(?: \p{L}+){0,3} (?:las |todas las |tus |as |todas as |le |tutte le )?(?:instrucciones|indicaciones|reglas|instruções|regras|istruzioni|regole)(?: \p{L}+){0,2} (?:anteriores|previas|precedentes|precedenti|previe|de arriba|acima)/u,
  ),
  pattern(
    "override.multilingual-cyrillic",
    "instruction_override",
    "high",
    /(?:игнорируй(?:те)?|проигнорируй(?:те)?|забудь(?:те)?|не обращай(?:те)? внимания на)(?: [\p{L}]+){0,3} (?:предыдущие|прежние|все|свои|вышеуказанные|системные|данные)(?: [\p{L}]+){0,2} ?(?:инструкции|указания|правила|команды|ограничения)?|(?:ігноруй|забудь)(?: [\p{L}]+){0,3} (?:попередні|всі) (?:інструкції|вказівки)/u,
  ),
  pattern(
    "override.multilingual-cjk",
    "instruction_override",
    "high",
    /(?:忽略|无视|忘记|忘掉|不要理会|忽视|無視|忘れ)(?:掉|了)?(?:你|之前|以前|先前|上面|上述|以上|前面|所有|全部|的|之前の|以前の|上記の|前の|すべての)+(?:所有|全部|的)?(?:指令|指示|说明|規則|规则|设定|設定|命令|提示|约束)|(?:以前|前|上記|これまで)の(?:指示|命令|ルール)を(?:無視|忘れ)/u,
  ),
];
