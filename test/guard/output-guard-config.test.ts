import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createOutputRedactorFactory, serverDirectories } from "../../src/app/output-guard.ts";
import { ConfigSchema, type ConfigInput } from "../../src/config/schema.ts";
import { validateConfig } from "../../src/config/validate.ts";

const scratch = mkdtempSync(join(tmpdir(), "agentd-guard-dirs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const parse = (input: ConfigInput) => ConfigSchema.parse(input);

describe("guard.output configuration", () => {
  test("defaults: on, no extra directories or patterns", () => {
    expect(parse({}).guard.output).toEqual({ enabled: true, directories: [], patterns: [] });
  });

  test("a bad pattern is refused naming its key", () => {
    const issues = (input: unknown) => {
      const result = validateConfig(input, () => "test.yaml");
      return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
    };
    expect(issues({ guard: { output: { patterns: [{ kind: "x", regex: "([a-z" }] } } })).toEqual([
      "guard.output.patterns[0].regex: expected a JavaScript regular expression that matches at least one character",
    ]);
    expect(issues({ guard: { output: { patterns: [{ kind: "x", regex: "a*" }] } } })[0]).toStartWith("guard.output.patterns[0].regex:");
    expect(issues({ guard: { output: { patterns: [{ kind: "Bad Kind", regex: "abc" }] } } })[0]).toStartWith("guard.output.patterns[0].kind:");
    expect(issues({ guard: { output: { pattern: [] } } })[0]).toContain("did you mean guard.output.patterns?");
  });
});

describe("the server's own directories", () => {
  test("data_dir, the install directory (the checkout, from source) and guard.output.directories", () => {
    const directories = serverDirectories(parse({ data_dir: join(scratch, "data"), guard: { output: { directories: ["/var/lib/agentd-extra"] } } }));
    expect(directories).toContain(join(scratch, "data"));
    expect(directories).toContain(resolve(import.meta.dir, "../.."));
    expect(directories).toContain("/var/lib/agentd-extra");
  });

  test("a relative data_dir is taken from the working directory; a symlinked one also by its real path", () => {
    expect(serverDirectories(parse({ data_dir: "./data" }))).toContain(resolve("data"));
    const real = join(scratch, "real");
    mkdirSync(real);
    symlinkSync(real, join(scratch, "link"));
    const directories = serverDirectories(parse({ data_dir: join(scratch, "link") }));
    expect(directories).toContain(join(scratch, "link"));
    expect(directories).toContain(realpathSync(real));
  });

  test("shared system directories and the root are never treated as the server's", () => {
    const directories = serverDirectories(parse({ data_dir: join(scratch, "d"), guard: { output: { directories: ["/usr/local/bin", "/", "/tmp"] } } }));
    for (const shared of ["/usr/local/bin", "/", "/tmp"]) expect(directories).not.toContain(shared);
  });

  test("the factory redacts paths under them, and nothing when the guard is off", () => {
    const config = parse({ data_dir: join(scratch, "d2") });
    const redactor = createOutputRedactorFactory(config)();
    expect(redactor.push(`at ${join(scratch, "d2", "agentd.db")} `) + redactor.end()).toBe("at [REDACTED:path] ");
    const off = createOutputRedactorFactory(parse({ data_dir: join(scratch, "d2"), guard: { output: { enabled: false } } }))();
    expect(off.push(`at ${join(scratch, "d2")} `)).toBe(`at ${join(scratch, "d2")} `);
  });
});
