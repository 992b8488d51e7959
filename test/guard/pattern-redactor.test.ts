import { describe, expect, test } from "bun:test";
import { PatternRedactor } from "../../src/guard/output/pattern-redactor.ts";
import { secretRules } from "../../src/guard/output/rules.ts";
import { outputRedactorSuite } from "../conformance/output-redactor.suite.ts";
import { AWS_KEY, PEM_KEY, newRedactor, redactPieces } from "./redaction-cases.ts";

outputRedactorSuite({ name: "PatternRedactor", create: newRedactor });

const whole = (text: string) => redactPieces(newRedactor, text);

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
    expect(whole("the prefix AKIA")).toBe("the prefix AKIA");
    expect(whole(`ends with ${AWS_KEY}`)).toBe("ends with [REDACTED:aws_access_key]");
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
