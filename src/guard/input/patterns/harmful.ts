import { pattern } from "./pattern.ts";

/**
 * Harmful requests: what jailbreaks carry. A plain harmful question is the model's to refuse,
 * so most of these only add to the score (medium); wrapped in framing, a persona, refusal
 * suppression or an adversarial suffix, the sum blocks.
 */

const ATTACK_VERB = String.raw`(?:make|making|build|building|construct|constructing|create|creating|assemble|manufacture|synthesi[sz]e|synthesi[sz]ing|produce|cook|cooking|brew|prepare|obtain|acquire|buy|get|detonate|plant|smuggle|use|using|deploy|develop|design|build)`;

export const HARMFUL_PATTERNS = [
  pattern(
    "harm.weapons",
    "harmful_request",
    "medium",
    new RegExp(String.raw`\b${ATTACK_VERB}\b(?: [\w-]+){0,4}? (?:homemade |improvised |pipe |nail |dirty |nuclear |chemical |biological |explosive )?(?<!(?:bath|photo|seed|cherry|stink|glitter|time|zip|data|fork|smoke|flavor|flavour|f|cluster|love|water) )(?:bombs?|explosives?|explosive devices?|ieds?|detonators?|grenades?|molotov(?: cocktails?)?|napalm|thermite|nerve (?:agents?|gas)|sarin|vx gas|ricin|anthrax|mustard gas|chlorine gas|bioweapons?|biological weapons?|chemical weapons?|nuclear weapons?|weapons of mass destruction|untraceable (?:guns?|firearms?|weapons?)|ghost guns?|(?:gun )?silencers?|suppressors?|poisons?|toxins?|weapons?)\b`),
  ),
  pattern(
    "harm.drugs",
    "harmful_request",
    "medium",
    /\b(?:make|making|synthesi[sz]e|cook|cooking|produce|manufacture|extract|grow|buy|obtain|get (?:hold of|my hands on)|sell|selling|smuggle|smuggling|distribute|distributing|traffic|trafficking)\b(?: [\w-]+){0,4}? (?:meth(?:amphetamine)?|crystal meth|cocaine|crack cocaine|heroin|fentanyl|lsd|mdma|ecstasy|ghb|dmt|pcp|illegal drugs|illicit drugs|street drugs|narcotics|opioids|controlled substances|date rape drugs?)\b/,
  ),
  pattern(
    "harm.hacking",
    "harmful_request",
    "medium",
    /\b(?:hack(?:ing|s)? into|hijack(?:ing|s)?|break(?:ing)? into (?:a|an|the|someone'?s?|my \w+'s) (?:account|computer|network|system|email|phone|database|server|website)|gain(?:ing)? (?:unauthorized|illegal|illegitimate) access|bypass(?:ing)? (?:the )?(?:security|authentication|login|paywall|2fa|drm|antivirus|firewall|captcha)|crack(?:ing)? (?:someone'?s? |a |the )?(?:passwords?|wi-?fi|software|accounts?)|steal(?:ing|s)? (?:\w+ ){0,2}?(?:passwords?|credentials|data|credit cards?|identit(?:y|ies)|personal information|cookies|sessions?|information|money|cars?|secrets)|ddos(?:ing)?|take down (?:a|the) (?:website|server|network)|exploit(?:ing|s)? (?:\w+ ){0,2}?(?:vulnerabilit(?:y|ies)|weaknesses)|spy(?:ing)? on (?:someone|people|my|a|users)|track(?:ing)? (?:someone|my (?:wife|husband|girlfriend|boyfriend|partner|ex))|(?:write|create|develop|code|build|make|design|generate)(?: [\w-]+){0,3}? (?:a |an )?(?:virus|malware|ransomware|keylogger|trojan|worm|botnet|rootkit|spyware|backdoor|exploit|phishing (?:email|site|page|website|kit|campaign)|scam (?:email|website|call)))\b/,
  ),
  pattern(
    "harm.violence",
    "harmful_request",
    "medium",
    /\b(?:kill|murder|poison|assassinate|kidnap|abduct|torture|stab|shoot|strangle|hurt|attack|injure|maim|beat up|bully|stalk|harass|blackmail|extort)\b(?: \w+){0,2}? (?:someone|somebody|a person|people|my (?:wife|husband|boss|neighbou?r|teacher|parents?|mother|father|sister|brother|ex|family|friend|coworker|classmate|partner|girlfriend|boyfriend)|a (?:child|kid|baby|man|woman|police officer|politician|classmate)|(?:the|a) (?:president|senator|mayor|judge)|him|her|them|a guy|a girl)\b(?! process| thread| task| job| node| element| session| connection)|\bwithout (?:getting caught|leaving (?:a |any )?(?:trace|evidence)|being (?:caught|detected|noticed|traced))\b|\b(?:get away with|cover up|hide) (?:a |the )?(?:murder|crime|body|evidence)\b|\b(?:untraceable|undetectable) (?:poison|way to kill|method)\b|\bmass (?:shooting|panic|casualties|murder)\b/,
  ),
  pattern(
    "harm.crime",
    "harmful_request",
    "medium",
    /\b(?:identity theft|commit(?:ting)? (?:fraud|tax (?:fraud|evasion)|insurance fraud|a crime|crimes|arson|burglary|robbery|murder|identity theft|insider trading|a hate crime|treason|terrorism|a terrorist attack)|launder(?:ing)? money|money laundering|counterfeit (?:money|bills|currency|goods)|forg(?:e|ed|ing) (?:documents?|signatures?|checks?|ids?|passports?)|fake (?:ids?|passports?|news(?: articles?| stor(?:y|ies))?|reviews|identit(?:y|ies)|online identit(?:y|ies)|charity)|scam(?:ming)? (?:people|someone|elderly|users|victims)|ponzi scheme|insider trading|evade taxes|tax evasion|shoplift(?:ing)?|pick a lock|hotwire|human trafficking|sex trafficking|child (?:porn\w*|sexual abuse material|exploitation)|spread(?:ing|s)? (?:false information|misinformation|disinformation|propaganda|fake news|rumou?rs|panic|malware)|cheat(?:ing)? on (?:an? |my |the )?(?:exam|test)|plagiari[sz]e)\b/,
  ),
  pattern(
    "harm.theft",
    "harmful_request",
    "medium",
    /\b(?:steal|stealing|rob|robbing|burglari[sz]e|burgle|shoplift|pickpocket|loot|looting|break into|sneak into|trespass on|vandali[sz]e|set fire to|burn down|poison|contaminate)\b(?: [\w'-]+){0,3}? (?:a|an|the|someone'?s?|somebody'?s?|people'?s?|my \w+'?s?|money|cars?|wallets?|purses?|bikes?|jewelry|paintings?|stores?|banks?|house|home|family|neighbou?r'?s?|water|food|supply|museum|atm)\b(?! (?:process|thread|task|queue|worker|focus|cpu|cycle|show)s?\b)|\b(?:cheat on (?:my|your|their) taxes|insurance (?:money|fraud)|without paying|knock (?:someone|somebody|him|her|them) out|break (?:someone'?s?|his|her|their) (?:leg|arm|neck|bones?)|defame (?:someone|a person|my)|(?:cyber)?bully (?:someone|a|my|him|her|them)|troll (?:someone|people)|dox(?:x)?(?:ing)? (?:someone|a person|people)|swat(?:ting)? (?:someone|a person))\b/,
  ),
  pattern(
    "harm.how-to-crime",
    "harmful_request",
    "medium",
    /\b(?:how (?:to|do i|can i|could i|would i|should i|can we|do you)|instructions? (?:for|on)|tutorial (?:on|for)|guide (?:on|to|for)|step[- ]by[- ]step|a plan (?:to|for)|strategy (?:to|for)|ways? to|best way to|easiest way to|teach (?:me|someone|children|people) (?:how )?to)\b(?: [\w'-]+){0,4}? (?:commit|evade|launder|smuggle|counterfeit|stalk|harass|blackmail|extort|sabotage|kidnap|traffic|defraud|scam|spy on|cyberbully|bully|trespass|incite|radicali[sz]e|dox|swat|phish|bribe|intimidate|assault|torture|abuse|rob|murder|assassinate|poison|overdose|self-harm|cheat|shoplift|steal|hack|hijack|manipulate (?:someone|people|a person|my|him|her|them|others|children|voters|the (?:stock )?market))\b/,
  ),
  pattern(
    "harm.research-topic",
    "harmful_request",
    "medium",
    /\b(?:studying|researching|analy[sz]ing|examining|exploring|investigating)\b[^.\n]{0,80}\b(?:illicit|arson|firearms?|weapons?|explosives?|poisons?|poisoning|trafficking|smuggling|counterfeit\w*|fraud|scams?|hacking|unauthori[sz]ed|espionage|infiltration|evaded|evading|bypassed|circumvent\w*|harassment|cyberbullying|hate crimes?|extremis[mt]\w*|terroris[mt]\w*|eating disorders?|self-harm|harmful (?:messages|rhetoric|content))\b/,
  ),
  pattern(
    "harm.topic",
    "harmful_request",
    "low",
    /\b(?:child pornography|child sexual abuse|software piracy|pirat(?:ed|ing) (?:software|movies|content)|defamation|defamatory|libel(?:ous)?|pyrotechnics|explosive devices?|bomb[- ]?making|ransomware|keyloggers?|malware|spyware|botnets?|phishing|identity theft|credit card fraud|tax evasion|insider trading|money laundering|human trafficking|drug trafficking|hate speech|suicide methods?|weapons? of mass destruction|nerve agents?|bioweapons?|assassinations?|terrorist attacks?|mass shootings?|stalking|doxx?ing|swatting|revenge porn|sextortion|extortion|blackmail(?:ing)?|arson|vandalism|cyberbullying|harassment campaigns?|election (?:fraud|manipulation|interference)|disinformation campaigns?|counterfeit(?:ing)?)\b/,
  ),
  pattern(
    "harm.self-harm",
    "harmful_request",
    "medium",
    /\b(?:commit(?:ting)? suicide|kill (?:myself|yourself|themselves|himself|herself)|end (?:my|your|their|his|her) (?:own )?life|self[- ]harm|cut (?:myself|yourself)|overdose on|starve (?:myself|yourself)|pro-ana|anorexi[ac]|bulimi[ac])\b/,
  ),
  pattern(
    "harm.hate",
    "harmful_request",
    "medium",
    /\b(?:write|generate|create|produce|make|compose|post|spread|craft|give me|draft|tell me|list)\b(?: [\w'-]+){0,4}? (?:hate speech|racist (?:jokes?|remarks?|content|propaganda|slurs?)|racial slurs?|slurs|derogatory (?:terms?|remarks?|jokes?)|dehumani[sz]\w+ \w+|white supremacist \w+|propaganda)\b|\b(?:white supremac\w*|genocide|ethnic cleansing) (?:is|was) (?:good|justified|necessary|right)\b|\b(?:incit(?:e|es|ing) (?:violence|hatred|hate|riots?)|(?:promote|promotes|promoting|encourage|encourages|encouraging|glorify|glorifies|glorifying|advocate|advocates|advocating) (?:violence|hatred|hate|terrorism|self-harm|suicide|eating disorders|drug use|discrimination|racism|extremism|anorexia|bulimia|dangerous behaviou?rs?))\b/,
  ),
  pattern(
    "harm.toxic-content",
    "harmful_request",
    "high",
    /\b(?:write|generate|produce|create|give me|say|compose|tell me|make|craft|list)\b(?: (?:one|a|an|some|\d+|me|few|several))* (?:\w+ )?(?:toxic|harmful|hateful|discriminatory|offensive|racist|sexist|derogatory|insulting|hurtful|abusive|demeaning|bigoted|vile|homophobic|transphobic|misogynistic|xenophobic|inflammatory|defamatory|threatening)\b(?: \w+){0,2}? (?:sentences?|statements?|jokes?|comments?|remarks?|words?|tweets?|posts?|paragraphs?|messages?|slurs?|insults?|content|stuff|things|letters?|emails?|essays?|articles?|poems?|songs?|speech(?:es)?)\b(?: \w+){0,2}? (?:about|against|towards?|targeting|on|regarding|for|aimed at)\b/,
  ),
  pattern(
    "harm.negative-about-group",
    "harmful_request",
    "medium",
    /\b(?:write|generate|produce|create|give me|say|compose|tell me)\b(?: (?:one|a|an|some|\d+|me|few))* (?:negative|mean|unkind|rude|nasty|cruel|unfriendly|disparaging|hostile|mocking|condescending|belittling) (?:sentences?|statements?|jokes?|comments?|remarks?|things|words)\b (?:about|against|towards?) (?:\w+ )?(?:people|men|women|persons|immigrants|muslims|jews|christians|hindus|atheists|gays?|gay men|lesbians?|lesbian women|transgender \w+|trans \w+|black \w+|white \w+|asians?|asian \w+|latinos?|hispanics?|mexicans?|africans?|arabs?|disabled \w+|elderly \w+|old people|homosexuals|bisexuals?|refugees|minorities|pregnant women|poor people|fat people|overweight \w+|\w+ people)\b/,
  ),
];
