import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { configLeaves } from "../../src/config/fields.ts";
import { loadConfig } from "../../src/config/load.ts";
import { renderConfigMarkdown, renderDefaultsYaml } from "../../src/config/render.ts";
import { ConfigSchema } from "../../src/config/schema.ts";

const repositoryRoot = join(import.meta.dir, "..", "..");
const REGENERATE = "run `bun scripts/gen-config-docs.ts` and commit the result";

describe("renderDefaultsYaml", () => {
  const yaml = renderDefaultsYaml();
  const lines = yaml.split("\n");

  test("parses back to exactly the built-in defaults", () => {
    expect(parse(yaml)).toEqual(ConfigSchema.parse({}));
  });

  test("config/agentd.example.yaml is the rendered output", () => {
    const example = readFileSync(join(repositoryRoot, "config", "agentd.example.yaml"), "utf8");
    expect(example, REGENERATE).toBe(yaml);
  });

  test("the example file loads as a valid configuration equal to the defaults", async () => {
    const loaded = await loadConfig({ configPath: join(repositoryRoot, "config", "agentd.example.yaml"), env: {} });
    expect(loaded.config).toEqual(ConfigSchema.parse({}));
  });

  test("every key has its description and env var in the comment right above it", () => {
    for (const leaf of configLeaves()) {
      const name = leaf.path.at(-1) ?? "";
      const variableLine = lines.findIndex((line) => line.endsWith(`Env: ${leaf.envVar}`));
      expect(variableLine, leaf.key).toBeGreaterThan(0);
      expect(lines[variableLine + 1]?.trim(), leaf.key).toMatch(new RegExp(`^(# )?${name}:`));
      // The whole comment block above the key: from the variable line up to the blank line before it.
      let top = variableLine;
      while (top > 0 && lines[top - 1]!.trim().startsWith("#")) top--;
      const comment = lines.slice(top, variableLine).join(" ");
      const firstWords = (leaf.description ?? "").split(" ").slice(0, 4).join(" ");
      expect(firstWords, leaf.key).not.toBe("");
      expect(comment, leaf.key).toContain(firstWords);
    }
  });

  test("optional keys without a default are shown commented out", () => {
    expect(lines).toContain("  # jwt_secret:");
    expect(lines).toContain("  # base_url:");
    expect(lines).toContain("    # jwks_url:");
    expect(lines).toContain("  port: 8080");
    expect(lines).toContain("  threads: auto");
  });

  test("comments stay within 100 columns", () => {
    const long = lines.filter((line) => line.trimStart().startsWith("#") && line.length > 100);
    expect(long).toEqual([]);
  });
});

describe("renderConfigMarkdown", () => {
  const markdown = renderConfigMarkdown();

  test("docs/configuration.md is the rendered output", () => {
    const checkedIn = readFileSync(join(repositoryRoot, "docs", "configuration.md"), "utf8");
    expect(checkedIn, REGENERATE).toBe(markdown);
  });

  test("has a table row per key with its env var, default and description", () => {
    const rows = markdown.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows).toHaveLength(configLeaves().length);
    expect(rows).toContain(
      "| `server.port` | `AGENTD_SERVER__PORT` | integer from 0 to 65535 | `8080` | TCP port for HTTP and WebSocket; 0 picks a free one. |",
    );
    const secretRow = rows.find((row) => row.startsWith("| `auth.jwt_secret` |"));
    expect(secretRow).toContain("| *unset* |");
    expect(rows.find((row) => row.startsWith("| `workers.threads` |"))).toContain('"auto" or integer from 0 to 256');
  });
});
