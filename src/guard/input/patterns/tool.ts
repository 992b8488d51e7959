import { pattern } from "./pattern.ts";

/**
 * Tool and command injection: payloads meant for the agent's tools or the systems behind them.
 * Programming questions quote such code all the time, so most rules here only add to the score;
 * it takes an instruction to run them, or a second signal, to block.
 */
export const TOOL_PATTERNS = [
  pattern(
    "tool.reverse-shell",
    "tool_injection",
    "high",
    /\bbash -i >& ?\/dev\/tcp\/|\/dev\/tcp\/\d{1,3}\.\d{1,3}|\bnc(?:at)? (?:-\w+ )*-e (?:\/bin\/)?(?:ba|z)?sh\b|\bmkfifo \/tmp\/\w+;|\bpython[23]? -c ["']import (?:socket|pty|os)|\bpowershell(?:\.exe)? (?:-\w+ )*-(?:enc|encodedcommand|e) [a-z0-9+\/=]{20,}/,
  ),
  pattern(
    "tool.pipe-to-shell",
    "tool_injection",
    "medium",
    /\b(?:curl|wget|iwr|invoke-webrequest)\b[^\n|]{0,200}\|\s*(?:sudo )?(?:ba|z|da)?sh\b|\biex\s?\(\s?(?:new-object|iwr|invoke-webrequest|\(new-object)|\binvoke-expression\b/,
  ),
  pattern(
    "tool.destructive-command",
    "tool_injection",
    "medium",
    /\brm -(?:rf|fr|r -f|f -r) (?:\/|~|\*|\$home|\/\*|--no-preserve-root)(?=\s|$|["'`;])|:\(\)\s?\{\s?:\s?\|\s?:\s?&\s?\}\s?;\s?:|\bmkfs\.\w+ \/dev\/|\bdd if=\/dev\/(?:zero|u?random) of=\/dev\/(?:sd|hd|nvme)|\bformat c:|\bdel \/[fsq] \/[fsq]|\bdrop (?:table|database) [\w`"]+\s?;\s?--/,
  ),
  pattern(
    "tool.run-on-your-system",
    "tool_injection",
    "medium",
    /\b(?:execute|run|eval(?:uate)?|call|invoke)\b(?: \w+){0,3} (?:this|the following|these|below|following|my)(?: \w+){0,2} (?:commands?|code|script|payload|snippet|function call|tool call|shell command)s?\b(?: [\w'-]+){0,4}? (?:on|in|using|with|inside|through) (?:your|the) (?:own )?(?:system|server|shell|terminal|tools?|sandbox|code interpreter|python tool|environment|machine|host|backend|container|interpreter|os)\b/,
  ),
  pattern(
    "tool.execute-following",
    "tool_injection",
    "medium",
    /\b(?:execute|run)\b (?:the following|this|these|below) (?:system |shell |terminal |os |bash )(?:commands?|instructions?)\b|\b(?:execute|run) (?:the following|this|these) (?:commands?|code|script) (?:on|in|with|using) (?:the )?(?:system|server|shell|terminal|host)\b/,
  ),
  pattern(
    "tool.eval-input",
    "tool_injection",
    "medium",
    /\b(?:eval|exec|execfile|__import__|os\.system|os\.popen|subprocess\.(?:call|run|popen|check_output)|child_process\.exec|shell_exec|passthru|runtime\.getruntime\(\)\.exec)\s?\(\s?(?:["'`]|base64|atob|request|input|decode|\w+\.decode|compile|open\(|__import__|require\(["']child_process)/,
  ),
  pattern(
    "tool.exfiltrate",
    "tool_injection",
    "high",
    /\b(?:send|post|upload|forward|email|transmit|exfiltrate|leak|append|include|embed)\b(?: \w+){0,2}? (?:the |all |this |our |my |your |the user'?s? |every )?(?:conversation|chat history|chat log|previous messages|message history|system prompt|credentials|api keys?|secrets?|passwords?|tokens|cookies|session|personal (?:data|information)|user'?s? (?:data|information|details|messages))\b[^\n]{0,60}\b(?:to|into|in) (?:https?:\/\/|\S+@\S+\.\w+|this (?:url|link|endpoint|webhook|address|server)|the (?:url|link|endpoint|webhook|image url))|!\[[^\]\n]*\]\(https?:\/\/[^)\s]*[?&][^)\s=]*=(?:\{|\[|\$|<|%7b)/,
  ),
  pattern(
    "tool.your-tools",
    "tool_injection",
    "medium",
    /\b(?:with|using|via|through|in|into|use|call|invoke) your (?:[\w-]+ )?(?:tools?|terminal|shell|interpreter|sandbox|plugin|file system|filesystem|python|code execution|functions?)\b/,
  ),
  pattern(
    "tool.sql-injection",
    "tool_injection",
    "medium",
    /['"]\s?(?:or|and)\s+['"]?(\w+)['"]?\s?=\s?['"]?\1\b|['"]\s?;\s?(?:drop|delete|truncate|shutdown|exec)\b|\bunion (?:all )?select (?:null|\d|@@version|password|username|table_name)\b/,
  ),
  pattern(
    "tool.markup-payload",
    "tool_injection",
    "medium",
    /<script\b[^>]*>[^<]{0,200}(?:alert|document\.cookie|fetch|eval|window\.location)|\bjavascript:\s?(?:alert|eval|fetch|document|window|prompt|confirm)\b|\bon(?:error|load|mouseover|focus|click)\s?=\s?["']?\s?(?:alert|eval|fetch|document|console|prompt)\b/,
  ),
  pattern(
    "tool.sensitive-file",
    "tool_injection",
    "medium",
    /\b(?:cat|type|read|open|print|show|display|dump|less|more|head|tail|output|send|give me|contents of|fetch|get|retrieve|upload|exfiltrate|copy)\b(?: the)?(?: file)? (?:\/etc\/(?:passwd|shadow|sudoers)|~?\/\.ssh\/|\S*id_rsa\b|\.env\b|\/proc\/self\/environ|\S*\.aws\/credentials|c:\\windows\\system32\\config\\sam)/,
  ),
  pattern(
    "tool.call-tool-with",
    "tool_injection",
    "high",
    /\b(?:call|invoke|use|trigger|run)\b(?: the)? (?:[\w-]+ )?(?:tool|function|plugin|action|api)\b[^.\n]{0,60}\b(?:with|passing|argument|arguments|parameters?)\b[^.\n]{0,60}\b(?:delete|rm -|drop|transfer|wire|send (?:money|funds|email|all)|exfiltrat|password|credential|secret|api key|private key|all (?:files|users|user records|records|emails|funds|data)|user records|customer data)/,
  ),
];
