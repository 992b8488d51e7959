import { describe, expect, test } from "bun:test";
import { redactText, type OutputRedactorFactory } from "../../src/guard/output/output-redactor.ts";
import { AWS_KEY, NEAR_MISSES, SECRET_CASES, redactPieces } from "../guard/redaction-cases.ts";

export interface OutputRedactorSuiteOptions {
  name: string;
  /** A fresh redactor with every built-in kind, treating DATA_DIR and INSTALL_DIR as the server's directories. */
  create: OutputRedactorFactory;
}

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
const before = "Here it is: ";
const after = " — keep it safe.\nNext line";

/** The contract of an OutputRedactor: every kind redacted, near misses kept, the split never matters. */
export function outputRedactorSuite({ name, create }: OutputRedactorSuiteOptions): void {
  const whole = (text: string) => redactPieces(create, text);

  describe(`${name}: each kind of secret is redacted`, () => {
    for (const { kind, text, shown = `[REDACTED:${kind}]` } of SECRET_CASES) {
      const message = before + text + after;
      const expected = before + shown + after;

      test(`${kind}: ${text.slice(0, 40).replace(/\n/g, "⏎")}`, () => {
        const redactor = create();
        expect(redactor.push(message) + redactor.end()).toBe(expected);
        expect(redactor.counts).toEqual({ [kind]: 1 });
      });

      test(`${kind}: split over 2 and 3 deltas anywhere, still redacted: ${text.slice(0, 24).replace(/\n/g, "⏎")}`, () => {
        for (let cut = 1; cut < message.length; cut++) expect(redactPieces(create, message, [cut])).toBe(expected);
        // Three pieces with both cuts inside the secret (at most ~400 pairs per case).
        const first = before.length;
        const last = before.length + text.length;
        const step = Math.max(1, Math.ceil((last - first) / 28));
        for (let a = first; a < last; a += step) {
          for (let b = a + 1; b <= last; b += step) expect(redactPieces(create, message, [a, b])).toBe(expected);
        }
      });
    }

    test("one character per delta", () => {
      for (const { kind, text, shown = `[REDACTED:${kind}]` } of SECRET_CASES) {
        const message = before + text + after;
        const cuts = [...message].map((_, index) => index).slice(1);
        expect(redactPieces(create, message, cuts)).toBe(before + shown + after);
      }
    });
  });

  describe(`${name}: near misses pass unchanged`, () => {
    for (const text of NEAR_MISSES) {
      test(JSON.stringify(text.slice(0, 50)), () => {
        const message = `Look: ${text} ok`;
        const redactor = create();
        expect(redactor.push(message) + redactor.end()).toBe(message);
        expect(redactor.counts).toEqual({});
        expect(redactPieces(create, message, [8, 13])).toBe(message);
      });
    }
  });

  describe(`${name}: several secrets in one message`, () => {
    test("each is redacted and counted", () => {
      const message = `AWS ${AWS_KEY}, again ${AWS_KEY}; then password=hunter2 and /srv/agentd/data/x.db.`;
      const redactor = create();
      expect(redactor.push(message) + redactor.end()).toBe(
        "AWS [REDACTED:aws_access_key], again [REDACTED:aws_access_key]; then password=[REDACTED:password] and [REDACTED:path].",
      );
      expect(redactor.counts).toEqual({ aws_access_key: 2, password: 1, path: 1 });
    });

    test("nested and adjacent secrets are one redaction each, never a fragment", () => {
      expect(whole(`password=${AWS_KEY}`)).toBe("password=[REDACTED:password]");
      expect(whole(`"${AWS_KEY}"/${AWS_KEY}`)).toBe('"[REDACTED:aws_access_key]"/[REDACTED:aws_access_key]');
    });

    test("redacted text stays as it is when redacted again", () => {
      for (const { text } of SECRET_CASES) {
        const once = whole(before + text + after);
        expect(whole(once)).toBe(once);
      }
    });
  });

  describe(`${name}: the split never changes the result`, () => {
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
        const inOne = whole(text);
        const inPieces = redactPieces(create, text, sorted);
        if (inPieces !== inOne) throw new Error(`differs for ${JSON.stringify(text)} cut at ${sorted.join(",")}`);
        // A secret set apart by spaces never survives (glued to other text it may not be one).
        for (const c of SECRET_CASES) expect(inOne).not.toContain(apart(c));
      }
    });

    test("redactText (what is stored) equals what streaming showed", () => {
      const message = `key ${AWS_KEY} and password=hunter2 at /srv/agentd/data/agentd.db`;
      expect(redactText(create, message)).toBe(redactPieces(create, message, [6, 11, 30, 45]));
    });
  });
}
