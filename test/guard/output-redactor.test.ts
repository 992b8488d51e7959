import { describe, expect, test } from "bun:test";
import { NEAR_MISSES, SECRET_CASES, newRedactor, redactPieces, redactWhole } from "./redaction-cases.ts";

const before = "Here it is: ";
const after = " — keep it safe.\nNext line";

describe("output guard: each kind of secret is redacted", () => {
  for (const { kind, text, shown = `[REDACTED:${kind}]` } of SECRET_CASES) {
    const message = before + text + after;
    const expected = before + shown + after;

    test(`${kind}: ${text.slice(0, 40).replace(/\n/g, "⏎")}`, () => {
      const redactor = newRedactor();
      expect(redactor.push(message) + redactor.end()).toBe(expected);
      expect(redactor.counts).toEqual({ [kind]: 1 });
    });

    test(`${kind}: split over 2 and 3 deltas anywhere, still redacted: ${text.slice(0, 24).replace(/\n/g, "⏎")}`, () => {
      for (let cut = 1; cut < message.length; cut++) expect(redactPieces(message, [cut])).toBe(expected);
      // Three pieces with both cuts inside the secret (at most ~400 pairs per case).
      const first = before.length;
      const last = before.length + text.length;
      const step = Math.max(1, Math.ceil((last - first) / 28));
      for (let a = first; a < last; a += step) {
        for (let b = a + 1; b <= last; b += step) expect(redactPieces(message, [a, b])).toBe(expected);
      }
    });
  }

  test("one character per delta", () => {
    for (const { kind, text, shown = `[REDACTED:${kind}]` } of SECRET_CASES) {
      const message = before + text + after;
      const cuts = [...message].map((_, index) => index).slice(1);
      expect(redactPieces(message, cuts)).toBe(before + shown + after);
    }
  });
});

describe("output guard: near misses pass unchanged", () => {
  for (const text of NEAR_MISSES) {
    test(JSON.stringify(text.slice(0, 50)), () => {
      const message = `Look: ${text} ok`;
      const redactor = newRedactor();
      expect(redactor.push(message) + redactor.end()).toBe(message);
      expect(redactor.counts).toEqual({});
      expect(redactPieces(message, [8, 13])).toBe(message);
    });
  }
});

describe("output guard: several secrets in one message", () => {
  test("each is redacted and counted", () => {
    const message = `AWS ${"AKIAIOSFODNN7EXAMPLE"}, again AKIAIOSFODNN7EXAMPLE; then password=hunter2 and /srv/agentd/data/x.db.`;
    const redactor = newRedactor();
    expect(redactor.push(message) + redactor.end()).toBe(
      "AWS [REDACTED:aws_access_key], again [REDACTED:aws_access_key]; then password=[REDACTED:password] and [REDACTED:path].",
    );
    expect(redactor.counts).toEqual({ aws_access_key: 2, password: 1, path: 1 });
  });

  test("adjacent and nested secrets are one redaction each, never a fragment", () => {
    expect(redactWhole(`password=${"AKIAIOSFODNN7EXAMPLE"}`)).toBe("password=[REDACTED:password]");
    expect(redactWhole(`"${"AKIAIOSFODNN7EXAMPLE"}"/${"AKIAIOSFODNN7EXAMPLE"}`)).toBe('"[REDACTED:aws_access_key]"/[REDACTED:aws_access_key]');
  });

  test("redacted text stays as it is when redacted again", () => {
    for (const { text } of SECRET_CASES) {
      const once = redactWhole(before + text + after);
      expect(redactWhole(once)).toBe(once);
    }
  });
});
