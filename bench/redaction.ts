/**
 * The output guard's cost per delta: `bun bench/redaction.ts [tokens]` (default 50,000).
 *
 * The stream is real mixed prose and code — this repository's docs and TypeScript sources — cut
 * into o200k tokens (the tokenizer of current OpenAI models) and sent one token per delta in
 * replies of 400–1,200 tokens, with a fake secret of a random kind every ~1,500 tokens. Each
 * `push` (and each reply's `end`) is timed on its own. A second run uses the same text with a
 * secret every ~40 tokens. Besides time, it reports how much text the redactor held back.
 */
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { Glob } from "bun";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PatternRedactor } from "../src/guard/output/pattern-redactor.ts";
import { secretRules } from "../src/guard/output/rules.ts";

const ROOT = join(import.meta.dir, "..");
const TOKENS = Number(process.argv[2] ?? 50_000);
const SECRETS = [
  "sk-proj-Ab3dEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCd",
  "AKIAIOSFODNN7EXAMPLE",
  "ghp_aB3dEfGhIjKlMnOpQrStUvWxYz0123456789",
  "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
  "AIzaSyA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU-v",
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  "password=hunter2",
  '"password": "s3cr3t pass!"',
  "postgres://app:S3cr3t@db:5432/app",
  "/srv/agentd/data/agentd.db",
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----",
];

/** mulberry32: the same stream on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpusTokens(count: number, secretEvery: number): string[] {
  const files = ["README.md", ...["docs/**/*.md", "src/**/*.ts"].flatMap((pattern) => [...new Glob(pattern).scanSync(ROOT)].sort())];
  const text = files.map((file) => readFileSync(join(ROOT, file), "utf8")).join("\n\n");
  const encoder = new Tiktoken(o200k);
  const source = encoder.encode(text).map((token) => encoder.decode([token]));
  const next = random(7);
  const tokens: string[] = [];
  for (let i = 0; tokens.length < count; i++) {
    if (next() < 1 / secretEvery) tokens.push(...encoder.encode(` ${SECRETS[Math.floor(next() * SECRETS.length)]} `).map((t) => encoder.decode([t])));
    tokens.push(source[i % source.length]!);
  }
  return tokens.slice(0, count);
}

interface Result {
  timesUs: number[];
  deltas: number;
  chars: number;
  /** Sum over deltas of the characters still held after the push. */
  heldChars: number;
  deltasHolding: number;
  redactions: number;
}

function run(tokens: string[], rules = secretRules({ directories: ["/srv/agentd/data", "/opt/agentd"] })): Result {
  const next = random(11);
  const result: Result = { timesUs: [], deltas: 0, chars: 0, heldChars: 0, deltasHolding: 0, redactions: 0 };
  let index = 0;
  while (index < tokens.length) {
    const length = 400 + Math.floor(next() * 800);
    const redactor = new PatternRedactor(rules);
    let received = 0;
    let shown = 0;
    for (const token of tokens.slice(index, index + length)) {
      const start = Bun.nanoseconds();
      const out = redactor.push(token);
      result.timesUs.push((Bun.nanoseconds() - start) / 1000);
      received += token.length;
      shown += out.length;
      result.deltas++;
      result.chars += token.length;
      // Redactions change lengths; count holding only where nothing was redacted yet.
      if (Object.keys(redactor.counts).length === 0 && shown < received) {
        result.heldChars += received - shown;
        result.deltasHolding++;
      }
    }
    const start = Bun.nanoseconds();
    redactor.end();
    result.timesUs.push((Bun.nanoseconds() - start) / 1000);
    result.redactions += Object.values(redactor.counts).reduce((a, b) => a + b, 0);
    index += length;
  }
  return result;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function report(name: string, result: Result): void {
  const sorted = [...result.timesUs].sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  const fmt = (us: number) => (us < 1000 ? `${us.toFixed(1)} µs` : `${(us / 1000).toFixed(2)} ms`);
  console.log(`\n${name}: ${result.deltas} deltas, ${result.chars} chars, ${result.redactions} redactions`);
  console.log(`  per delta: p50 ${fmt(percentile(sorted, 50))}  p99 ${fmt(percentile(sorted, 99))}  p99.9 ${fmt(percentile(sorted, 99.9))}  max ${fmt(sorted.at(-1)!)}  mean ${fmt(total / sorted.length)}`);
  console.log(`  throughput: ${((result.chars / total) * 1e6 / 1e6).toFixed(1)} M chars/s of redactor time`);
  console.log(`  held back (secret-free replies): ${((100 * result.deltasHolding) / result.deltas).toFixed(1)}% of deltas end with a held tail; ${(result.heldChars / result.deltas).toFixed(2)} chars held per delta on average`);
}

const realistic = corpusTokens(TOKENS, 1500);
const dense = corpusTokens(TOKENS, 40);
run(corpusTokens(5000, 200)); // warm-up: let the JIT compile the rules
console.log(`bun ${Bun.version}, ${process.platform}/${process.arch}, ${navigator.hardwareConcurrency} cores`);
report(`realistic (secret every ~1,500 tokens)`, run(realistic));
report(`secret-dense (secret every ~40 tokens)`, run(dense));
report(`guard off (no rules), same stream`, run(realistic, []));
