import { describe, expect, test } from "bun:test";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigSchema } from "../../src/config/schema.ts";

// No Docker engine runs in CI, and hadolint is in neither Debian's nor npm's registry: the
// Dockerfile is linted with dockerfile-utils (the linter behind VS Code's Docker support) and its
// structure checked here.
const ROOT = resolve(import.meta.dir, "../..");
const text = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const instructions = DockerfileParser.parse(text).getInstructions();
const args = (instruction: Instruction) => instruction.getArgumentsContent() ?? "";
/** The whole instruction as written, flags included, continuation lines joined. */
const whole = (instruction: Instruction) => instruction.getTextContent().replace(/\\\n\s*/g, " ");
const stageStarts = instructions.flatMap((instruction, index) => (instruction.getKeyword() === "FROM" ? [index] : []));
const build = instructions.slice(stageStarts[0], stageStarts[1]);
const runtime = instructions.slice(stageStarts.at(-1));
const find = (stage: Instruction[], keyword: string) => stage.filter((instruction) => instruction.getKeyword() === keyword);
const envOf = (stage: Instruction[]) =>
  Object.fromEntries(find(stage, "ENV").flatMap((env) => [...args(env).matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));

describe("Dockerfile", () => {
  test("lints clean", () => {
    expect(validate(text).map((problem) => `line ${problem.range.start.line + 1}: ${problem.message}`)).toEqual([]);
  });

  test("multi-stage: builds with the pinned Bun, runs the compiled binary on a slim base", () => {
    expect(stageStarts).toHaveLength(2);
    const bunVersion = readFileSync(join(ROOT, ".bun-version"), "utf8").trim();
    expect(args(build[0]!)).toBe(`oven/bun:${bunVersion} AS build`);
    expect(find(build, "RUN").map(args)).toContainEqual(expect.stringContaining("bun run build"));
    expect(args(runtime[0]!)).toMatch(/^debian:[a-z]+-slim$/);
    expect(find(runtime, "COPY").map(whole)).toContain("COPY --from=build /src/dist/agentd /usr/local/bin/agentd");
    expect(args(find(runtime, "ENTRYPOINT")[0]!)).toBe('["/usr/local/bin/agentd"]');
  });

  test("everything the build stage copies exists and is not excluded by .dockerignore", () => {
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n").filter((line) => line && !line.startsWith("#"));
    const sources = find(build, "COPY").flatMap((copy) => args(copy).split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
  });

  test("runs as a non-root user, with the data dir on a volume", () => {
    const user = find(runtime, "USER").map(args).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const env = envOf(runtime);
    expect(env.AGENTD_DATA_DIR).toBe("/var/lib/agentd");
    expect(args(find(runtime, "VOLUME")[0]!)).toBe(`["${env.AGENTD_DATA_DIR}"]`);
    expect(find(runtime, "RUN").map(args).join(" ")).toContain("chown agentd:agentd /var/lib/agentd");
  });

  test("exposes the configured port and checks health on /healthz there", () => {
    const env = envOf(runtime);
    expect(Number(env.AGENTD_SERVER__PORT)).toBe(ConfigSchema.parse({}).server.port);
    expect(args(find(runtime, "EXPOSE")[0]!)).toBe(env.AGENTD_SERVER__PORT!);
    const healthcheck = whole(find(runtime, "HEALTHCHECK")[0]!);
    expect(healthcheck).toContain("http://127.0.0.1:${AGENTD_SERVER__PORT}/healthz");
    expect(healthcheck).toContain("--start-period=");
  });
});
