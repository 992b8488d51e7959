import { describe, expect, test } from "bun:test";
import { redactText } from "../../src/guard/output/output-redactor.ts";
import { PatternRedactor } from "../../src/guard/output/pattern-redactor.ts";
import { secretRules } from "../../src/guard/output/rules.ts";
import { AWS_KEY, NEAR_MISSES, PEM_KEY, SECRET_CASES, newRedactor, redactPieces, redactWhole } from "./redaction-cases.ts";

/** A small seeded PRNG (mulberry32): the same texts and cuts on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILLER = [" ", "\n", ". ", ", ", "`", '"', "'", "(", ")", ":", "=", "-", "/", "the ", "pass", "sk-", "AKIA", "eyJ", "-----", "xox", "gh", "a", "Z9"];

describe("output guard: the split never changes the result", () => {
  test("2,000 random messages cut at random places read as the same message in one piece", () => {
    const next = random(20251122);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    const secrets = SECRET_CASES.map((c) => c.text);
    const apart = (c: (typeof SECRET_CASES)[number]) => ` ${c.text} `;
    for (let round = 0; round < 2000; round++) {
      let text = "";
      const parts = 1 + Math.floor(next() * 8);
      for (let i = 0; i < parts; i++) {
        const roll = next();
        text += roll < 0.2 ? apart(pick(SECRET_CASES)) : roll < 0.35 ? pick(secrets) : roll < 0.6 ? pick(NEAR_MISSES) : pick(FILLER);
        if (next() < 0.5) text += pick(FILLER);
      }
      const cuts = new Set<number>();
      const count = next() < 0.2 ? text.length : 1 + Math.floor(next() * 12);
      for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(next() * Math.max(1, text.length - 1)));
      const sorted = [...cuts].filter((cut) => cut < text.length).sort((a, b) => a - b);
      const whole = redactWhole(text);
      const pieces = redactPieces(text, sorted);
      if (pieces !== whole) throw new Error(`differs for ${JSON.stringify(text)} cut at ${sorted.join(",")}`);
      // A secret set apart by spaces never survives (glued to other text it may not be one).
      for (const c of SECRET_CASES) expect(whole).not.toContain(apart(c));
    }
  });

  test("redactText (what is stored) equals what streaming showed", () => {
    const message = `key ${AWS_KEY} and password=hunter2 at /srv/agentd/data/agentd.db`;
    const streamed = redactPieces(message, [6, 11, 30, 45]);
    expect(redactText(newRedactor, message)).toBe(streamed);
  });
});

describe("output guard: holds back only what could still be a secret", () => {
  test("ordinary prose and code go out at once", () => {
    const redactor = newRedactor();
    for (const piece of ["Hello", " world", ", here is", " some code:\n", "```ts\nconst x = 1;\n```", " Done."]) {
      expect(redactor.push(piece)).toBe(piece);
    }
    expect(redactor.end()).toBe("");
  });

  test("a word that could begin a secret waits for the next delta, then goes out", () => {
    const redactor = newRedactor();
    expect(redactor.push("Your pass")).toBe("Your ");
    expect(redactor.push("port is ready")).toBe("passport is ready");
    expect(redactor.push(" with key AKIAIOSF")).toBe(" with key ");
    expect(redactor.push("ODNN7EXAMPLE")).toBe("");
    expect(redactor.push(" ok")).toBe("[REDACTED:aws_access_key] ok");
    expect(redactor.push(" sk-")).toBe(" ");
    expect(redactor.end()).toBe("sk-");
  });

  test("a private key's marker shows as soon as its header is complete, and its body never", () => {
    const redactor = newRedactor();
    const [header, ...rest] = PEM_KEY.split("\n");
    expect(redactor.push(`Key:\n${header}`)).toBe("Key:\n");
    expect(redactor.push("\n")).toBe("[REDACTED:private_key]");
    for (let i = 0; i < 2000; i++) expect(redactor.push("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n")).toBe("");
    expect(redactor.push(`${rest.join("\n")}\nafter`)).toBe("\nafter");
    expect(redactor.end()).toBe("");
    expect(redactor.counts).toEqual({ private_key: 1 });
  });

  test("a private key cut off before its footer is redacted to the end of the message", () => {
    const redactor = newRedactor();
    expect(redactor.push("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA")).toBe("[REDACTED:private_key]");
    expect(redactor.end()).toBe("");
  });

  test("a secret still incomplete at the end is shown as written only when it is no secret", () => {
    expect(redactWhole("the prefix AKIA")).toBe("the prefix AKIA");
    expect(redactWhole(`ends with ${AWS_KEY}`)).toBe("ends with [REDACTED:aws_access_key]");
  });
});

describe("output guard: configured patterns and the disabled guard", () => {
  test("a configured pattern is redacted across deltas; its last word waits", () => {
    const redactor = new PatternRedactor(secretRules({ patterns: [{ kind: "internal_token", regex: "itk_[a-z0-9]{12}" }] }));
    expect(redactor.push("token itk_abc")).toBe("token ");
    expect(redactor.push("def123456 ok")).toBe("[REDACTED:internal_token] ");
    expect(redactor.end()).toBe("ok");
  });

  test("the filesystem root is never a server directory: ordinary paths pass", () => {
    const redactor = new PatternRedactor(secretRules({ directories: ["/", "C:\\"] }));
    expect(redactor.push("see /etc/passwd and C:\\Windows ") + redactor.end()).toBe("see /etc/passwd and C:\\Windows ");
  });

  test("no rules: everything passes at once", () => {
    const redactor = new PatternRedactor([]);
    expect(redactor.push(`key ${AWS_KEY}`)).toBe(`key ${AWS_KEY}`);
    expect(redactor.end()).toBe("");
  });
});
