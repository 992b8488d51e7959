import { describe, expect, test } from "bun:test";
import { Glob } from "bun";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

// The dependency rules of STYLE.md, checked on every import in src/.
const ROOT = resolve(import.meta.dir, "..");
const files = [...new Glob("src/**/*.ts").scanSync(ROOT)].filter((f) => !f.endsWith(".test.ts"));

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(["']([^"']+)["']\)/g)]
    .map((m) => m[1] ?? m[2]!)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => relative(ROOT, resolve(join(ROOT, dirname(file)), spec)));
}

/** Concrete implementations: only the composition root (src/app/) may import them. */
const isImplementation = (file: string) =>
  /\/(memory|redis|postgres|sqlite)\.ts$/.test(file) || file.includes("/sqlite/") || /^src\/checkpoint\/sqlite-saver\.ts$/.test(file) || file.startsWith("src/transport/") ||
  /^src\/metrics\/(prometheus|buffered)\.ts$/.test(file) ||
  file.includes("/postgres/") || /^src\/checkpoint\/postgres-saver\.ts$/.test(file);

describe("dependency direction", () => {
  test("the scan sees the tree", () => {
    expect(files.length).toBeGreaterThan(40);
    expect(importsOf("src/app/pubsub.ts")).toContain("src/pubsub/memory.ts");
  });

  test("only src/app/ imports concrete implementations", () => {
    const offenders = files
      .filter((file) => !file.startsWith("src/app/"))
      .flatMap((file) => importsOf(file).filter((target) => isImplementation(target) && dirname(target) !== dirname(file) && !target.startsWith(dirname(file) + "/")).map((target) => `${file} → ${target}`))
      // An implementation may import its own interface and helpers beside it, never another implementation.
      .filter((edge) => !edge.startsWith("src/storage/sqlite/") && !edge.startsWith("src/checkpoint/"));
    expect(offenders).toEqual([]);
  });

  test("only src/app/ calls Bun.serve", () => {
    const offenders = files.filter((file) => !file.startsWith("src/app/") && readFileSync(join(ROOT, file), "utf8").includes("Bun.serve("));
    expect(offenders).toEqual([]);
  });

  test("protocol/, errors and config/schema are leaves", () => {
    // The schema is schema.ts and the sections and value types beside it (schema-*.ts).
    const isSchema = (file: string) => /^src\/config\/schema(-[a-z]+)?\.ts$/.test(file);
    const leaves = files.filter((file) => file.startsWith("src/protocol/") || file === "src/errors.ts" || isSchema(file));
    expect(leaves.filter(isSchema).length).toBeGreaterThan(1);
    const offenders = leaves.flatMap((file) =>
      importsOf(file).filter((target) => !target.startsWith("src/protocol/") && !(isSchema(file) && isSchema(target))).map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  test("domain code does not import the transport or the HTTP layer", () => {
    const domain = files.filter((file) => /^src\/(chat|agents|work|queue|pubsub|events|storage|auth|limits|security|deny-list|net|guard)\//.test(file));
    const offenders = domain.flatMap((file) =>
      importsOf(file).filter((target) => /^src\/(transport|http|app|cli)\//.test(target)).map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });
});
