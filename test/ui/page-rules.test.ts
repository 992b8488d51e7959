import { describe, expect, test } from "bun:test";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dir, "../..");
const uiDir = join(root, "ui");
const protocolDir = join(root, "src/protocol");
const allowedPackages = new Set(["preact", "preact/hooks", "preact/jsx-runtime", "@preact/signals", "marked", "entities"]);

async function uiSources(): Promise<string[]> {
  const entries = await readdir(uiDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Specifiers of `import … from "x"`, `export … from "x"`, `import "x"` and `import("x")`. */
function importsOf(source: string): string[] {
  const patterns = [/\bfrom\s+["']([^"']+)["']/g, /\bimport\s+["']([^"']+)["']/g, /\bimport\(\s*["']([^"']+)["']/g];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!));
}

describe("ui/ boundaries", () => {
  test("imports only ui/ files, src/protocol and Preact", async () => {
    const wrong: string[] = [];
    for (const file of await uiSources()) {
      for (const specifier of importsOf(await readFile(file, "utf8"))) {
        if (specifier.startsWith(".")) {
          const target = resolve(dirname(file), specifier);
          if (!target.startsWith(uiDir + "/") && !target.startsWith(protocolDir + "/")) {
            wrong.push(`${relative(root, file)} imports ${specifier}`);
          }
        } else if (!allowedPackages.has(specifier)) {
          wrong.push(`${relative(root, file)} imports package ${specifier}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test("never injects HTML", async () => {
    for (const file of await uiSources()) {
      const source = await readFile(file, "utf8");
      expect(source, relative(root, file)).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML/);
    }
  });
});

describe("page under a strict CSP (script-src 'self'; style-src 'self')", () => {
  test("index.html has no inline script, inline style or event handler attribute", async () => {
    const html = await readFile(join(uiDir, "index.html"), "utf8");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });

  test("components set no style attribute", async () => {
    for (const file of await uiSources()) {
      if (!file.endsWith(".tsx")) continue;
      expect(await readFile(file, "utf8"), relative(root, file)).not.toMatch(/\bstyle=\{/);
    }
  });

  test("the bundled page loads its script and CSS from files, and leaves zod out", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "agentd-ui-"));
    try {
      const result = await Bun.build({ entrypoints: [join(uiDir, "index.html")], outdir, minify: true });
      expect(result.success).toBe(true);
      const html = await readFile(join(outdir, "index.html"), "utf8");
      const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
      expect(scripts).toHaveLength(1);
      expect(scripts[0]![0]).toMatch(/\bsrc="[^"]+\.js"/);
      expect(scripts[0]![1]).toBe("");
      expect(html).toMatch(/<link rel="stylesheet"[^>]*href="[^"]+\.css"/);
      expect(html).not.toMatch(/<style|\sstyle=/);
      const js = result.outputs.filter((output) => output.path.endsWith(".js"));
      for (const output of js) expect(await output.text()).not.toContain("ZodError");
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
