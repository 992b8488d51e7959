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
  pattern("encoding.typoglycemia", "encoding", "medium", /\btypoglycemi\w*/),
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
    /\b[i1!|]gn[o0]r[e3]\b(?=[^\n]{0,30}\b[i1!|]nstruct)|\b1gn0r3\b|\bpr3v[i1]0us\b|\b[i1]nstruct[i1]0ns\b/,
  ),
];
