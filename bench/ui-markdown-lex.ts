/**
 * `bun bench/ui-markdown-lex.ts`: what lexing a streaming reply costs the page, per delta, with the
 * UI's IncrementalLexer against lexing the whole text again on every delta.
 */
import { IncrementalLexer, lexMarkdown } from "../ui/src/markdown/incremental-lexer.ts";

const section = (n: number) =>
  `## Part ${n}\n\nSome **bold** text with \`code\` and a [link](https://example.com/${n}).\n\n` +
  `- item one\n- item two\n- item three\n\n\`\`\`ts\nconst value${n} = compute(${n});\nconsole.log(value${n});\n\`\`\`\n\n` +
  `| a | b |\n|---|---|\n| ${n} | ${n * 2} |\n\n`;
const reply = Array.from({ length: 60 }, (_, i) => section(i)).join("");
const DELTA = 4;
const deltas = Math.ceil(reply.length / DELTA);

function run(name: string, lex: (text: string) => unknown): void {
  const started = performance.now();
  for (let end = DELTA; end < reply.length + DELTA; end += DELTA) lex(reply.slice(0, end));
  const total = performance.now() - started;
  console.log(`${name}: ${total.toFixed(0)} ms for ${deltas} deltas, ${((total / deltas) * 1000).toFixed(0)} µs per delta on average`);
}

console.log(`reply: ${reply.length} characters, deltas of ${DELTA}`);
const incremental = new IncrementalLexer();
run("incremental (the UI)", (text) => incremental.lex(text));
run("whole text every delta", (text) => lexMarkdown(text));
