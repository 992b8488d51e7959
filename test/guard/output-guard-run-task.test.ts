import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAgentRuntime } from "../../src/app/agent-runtime.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import type { AgentRuntime } from "../../src/work/agent-runtime.ts";
import { runTask } from "../../src/work/run-task.ts";
import type { TaskEvent } from "../../src/work/task-events.ts";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { AWS_KEY, JWT } from "./redaction-cases.ts";

let model: FixtureModel;
let dataDir: string;
const runtimes: AgentRuntime[] = [];

async function runtimeWith(guard: Record<string, unknown> = {}): Promise<AgentRuntime> {
  const config = ConfigSchema.parse({ data_dir: dataDir, llm: { base_url: model.url, model: "m", api_key: "k", max_retries: 0 }, guard: { output: guard } });
  const runtime = await createAgentRuntime(config);
  runtimes.push(runtime);
  return runtime;
}

async function run(runtime: AgentRuntime, content: string): Promise<TaskEvent[]> {
  const events: TaskEvent[] = [];
  const id = () => crypto.randomUUID();
  await runTask(runtime, { taskId: id(), conversationId: id(), userId: "u", agent: "assistant", userMessageId: id(), messageId: id(), content }, (event) => events.push(event));
  return events;
}

const deltaTexts = (events: TaskEvent[]) => events.flatMap((event) => (event.kind === "delta" ? [event.text] : []));

beforeAll(async () => {
  model = await startFixtureModel();
  dataDir = mkdtempSync(join(tmpdir(), "agentd-output-guard-"));
});
afterAll(async () => {
  for (const runtime of runtimes) await runtime.close();
  await model.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("runTask with the output guard", () => {
  test("no delta carries a piece of a split secret; the end event counts the redactions", async () => {
    model.script({ text: ["A token: ", JWT.slice(0, 20), JWT.slice(20, 60), `${JWT.slice(60)} and `, "AKIAIOSFOD", "NN7EXAMPLE"] });
    const events = await run(await runtimeWith(), "go");
    expect(deltaTexts(events).join("")).toBe("A token: [REDACTED:jwt] and [REDACTED:aws_access_key]");
    for (const delta of deltaTexts(events)) for (const fragment of ["eyJ", "AKIA", "EXAMPLE"]) expect(delta).not.toContain(fragment);
    expect(events.at(-1)).toMatchObject({ kind: "end", reason: "completed", redactions: { jwt: 1, aws_access_key: 1 } });
  });

  test("a reply that fails mid-stream drops the held tail instead of showing it", async () => {
    model.script({ text: ["Safe text. ", "AKIAIOSF", "ODNN7EXAMPLE"], disconnectAfterTokens: 2 });
    const events = await run(await runtimeWith(), "go");
    expect(events.at(-1)).toMatchObject({ kind: "end", reason: "failed" });
    expect(deltaTexts(events).join("")).toBe("Safe text. ");
  });

  test("guard.output.enabled: false shows the model's text as written; no redactions reported", async () => {
    model.script({ text: ["key ", AWS_KEY] });
    const events = await run(await runtimeWith({ enabled: false }), "go");
    expect(deltaTexts(events).join("")).toBe(`key ${AWS_KEY}`);
    expect(events.at(-1)).not.toHaveProperty("redactions");
  });

  test("guard.output.patterns and guard.output.directories take effect", async () => {
    model.script({ text: ["id itk_abcdef", "123456 in /var/lib/other-agentd", "/state.json"] });
    const runtime = await runtimeWith({ patterns: [{ kind: "internal_token", regex: "itk_[a-z0-9]{12}" }], directories: ["/var/lib/other-agentd"] });
    const events = await run(runtime, "go");
    expect(deltaTexts(events).join("")).toBe("id [REDACTED:internal_token] in [REDACTED:path]");
    expect(events.at(-1)).toMatchObject({ redactions: { internal_token: 1, path: 1 } });
  });
});
