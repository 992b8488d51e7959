import { pattern } from "./pattern.ts";

/**
 * Encoding tricks, as phrases. The hidden payloads themselves are decoded and scanned again
 * (decode.ts), and invisible characters, tag smuggling and look-alike letters are signals
 * (signals.ts).
 */
export const ENCODING_PATTERNS = [
  pattern(
    "encoding.decode-and-follow",
    "encoding",
    "medium",
    /\b(?:decode|decrypt|decipher|unscramble|reverse|deobfuscate|rot13|base64[- ]decode|convert)\b[^.\n]{0,80}\b(?:and|then)\b(?: \w+){0,2}? (?:follow|execute|obey|do (?:what|as) it says|perform|carry out|act on|run|comply with|implement|do it|answer it|respond to it)\b/,
  ),
  pattern(
    "encoding.respond-encoded",
    "encoding",
    "low",
    /\b(?:respond|reply|answer|write|output|give (?:me )?(?:the |your )?answers?|speak|communicate|talk)\b(?: \w+){0,3} (?:only |exclusively |solely |entirely )?in (?:base64|base 64|hex(?:adecimal)?|rot13|rot-13|binary code|morse(?: code)?|leetspeak|leet|l33t|pig latin|caesar cipher|reversed text|unicode escapes|ascii codes)\b/,
  ),
  pattern(
    "encoding.respond-to-encoded",
    "encoding",
    "medium",
    /\b(?:respond|reply|answer) to (?:the following|this|my) (?:request|question|prompt|message)s? (?:only )?in (?:base64|base 64|hex(?:adecimal)?|rot13|binary|morse(?: code)?|leetspeak|leet|l33t|pig latin|caesar cipher)\b|\bleetspeak is (?:now )?your\b|\bconvert(?:ed)? (?:back )?to (?:leetspeak|l33t)\b/,
  ),
  pattern("encoding.typoglycemia", "encoding", "medium", /\btypoglycemi\w*/),
  pattern(
    "encoding.typoglycemia-condition",
    "encoding",
    "high",
    /\byou (?:have|suffer from|are affected by)\b[^.\n]{0,30}\btypoglycemi\w*|\bas a typoglycemiac\b/,
  ),
  pattern(
    "encoding.payload-splitting",
    "encoding",
    "medium",
    /\b(?:concatenate|combine|join|merge|put together|assemble)\b[^.\n]{0,50}\b(?:strings?|variables|parts|pieces|letters|fragments|halves|words)\b[^.\n]{0,80}\b(?:and|then)\b(?: \w+){0,2}? (?:follow|execute|answer|respond|do|obey|perform|write|give|provide)\b|\b[a-z]\s?=\s?["'][^"'\n]{1,40}["']\s*\n?\s*[a-z]\s?=\s?["'][^"'\n]{1,40}["'][^\n]{0,80}\b[a-z]\s?\+\s?[a-z]\b[^\n]{0,60}\b(?:answer|respond|execute|follow|return|output)\b/,
  ),
  pattern(
    "encoding.obfuscated-words",
    "encoding",
    "medium",
    /(?<![\w!|])(?:[1!|]gn[o0]r[e3]|ign0r[e3]|ignor3|d1sr[e3]g[a4]rd|disr3g[a4]rd|disreg4rd)\b(?=[^\n]{0,40}(?:[i1!|]nstruct|pr[e3]v[i1][o0]us|ru[l1][e3]s))|(?<![\w!|])(?:pr3v[i1][o0]us|prev[1!][o0]us|previ0us|[1!|]nstruct[i1!][o0]ns|instruct[1!|][o0]ns|instructi0ns|syst3m pr[o0]mpt)\b/,
  ),
];
