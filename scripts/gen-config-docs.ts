/**
 * Regenerates config/agentd.example.yaml and docs/configuration.md from src/config/schema.ts.
 * `bun scripts/gen-config-docs.ts --check` writes nothing and exits 1 when either file is stale.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderConfigMarkdown, renderDefaultsYaml } from "../src/config/render.ts";

const root = join(import.meta.dir, "..");
const outputs = [
  { path: "config/agentd.example.yaml", text: renderDefaultsYaml() },
  { path: "docs/configuration.md", text: renderConfigMarkdown() },
];
const checkOnly = process.argv.includes("--check");

let stale = 0;
for (const { path, text } of outputs) {
  const current = await readFile(join(root, path), "utf8").catch(() => undefined);
  if (current === text) continue;
  stale++;
  if (checkOnly) console.error(`${path} is out of date; run: bun scripts/gen-config-docs.ts`);
  else {
    await writeFile(join(root, path), text);
    console.log(`wrote ${path}`);
  }
}
if (checkOnly && stale > 0) process.exit(1);
