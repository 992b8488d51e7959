import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAgentRuntime } from "../../src/app/agent-runtime.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import { AppError } from "../../src/errors.ts";
import type { QueuedTask } from "../../src/queue/queue.ts";
import type { AgentRuntime } from "../../src/work/agent-runtime.ts";
import { describeFailure, runTask } from "../../src/work/run-task.ts";
import type { TaskEvent } from "../../src/work/task-events.ts";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { queuedTask } from "../helpers/tasks.ts";

let model: FixtureModel;
let runtime: AgentRuntime;
let dataDir: string;

const task = (content: string): QueuedTask => queuedTask({ content });

beforeAll(async () => {
  model = await startFixtureModel();
  dataDir = mkdtempSync(join(tmpdir(), "agentd-run-task-"));
  const config = ConfigSchema.parse({ data_dir: dataDir, llm: { base_url: model.url, model: "m", api_key: "k", max_retries: 0 } });
  runtime = await createAgentRuntime(config);
});
afterAll(async () => {
  await runtime.close();
  await model.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("runTask", () => {
  test("a turn of an agent without tools writes one checkpoint, when it ends, also when it fails", async () => {
    const checkpoints = new Database(join(dataDir, "checkpoints.db"), { readonly: true });
    const count = (threadId: string) => (checkpoints.query("SELECT COUNT(*) AS n FROM checkpoints WHERE thread_id = ?").get(threadId) as { n: number }).n;
    const stored = (threadId: string) => runtime.graphFor("assistant").then(async (graph) => ((await graph.getState({ configurable: { thread_id: threadId } })).values?.messages ?? []).map((m: { content: unknown }) => m.content));
    model.script({ text: ["one"] }, { text: ["two"] });
    const first = task("first");
    await runTask(runtime, first, () => {}, { firstRun: true });
    expect(count(first.conversationId)).toBe(1);
    await runTask(runtime, { ...task("second"), conversationId: first.conversationId }, () => {}, { firstRun: true });
    expect(count(first.conversationId)).toBe(2);
    expect(await stored(first.conversationId)).toEqual(["first", "one", "second", "two"]);
    // A failed turn still keeps the user's message (the checkpoint is written on the way out).
    model.script({ error: { status: 500, message: "boom" } });
    const failed = task("lost?");
    const events: TaskEvent[] = [];
    await runTask(runtime, failed, (event) => events.push(event), { firstRun: true });
    expect(events.at(-1)).toMatchObject({ kind: "end", reason: "failed" });
    expect(await stored(failed.conversationId)).toEqual(["lost?"]);
    checkpoints.close();
  });

  test("an agent without tools is one node: no tools node, no branch after the model", async () => {
    const graph = await runtime.graphFor("assistant");
    const drawn = await (graph as unknown as { getGraphAsync(): Promise<{ nodes: Record<string, unknown>; edges: { source: string; target: string; conditional?: boolean }[] }> }).getGraphAsync();
    expect(Object.keys(drawn.nodes).sort()).toEqual(["__end__", "__start__", "agent"]);
    expect(drawn.edges.map(({ source, target, conditional }) => [source, target, conditional ?? false])).toEqual([
      ["__start__", "agent", false],
      ["agent", "__end__", false],
    ]);
  });

  test("streams deltas and ends once with the provider's usage", async () => {
    model.script({ text: ["x", "y", "z"], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } });
    const events: TaskEvent[] = [];
    await runTask(runtime, task("go"), (event) => events.push(event));
    expect(events.filter((e) => e.kind === "delta").map((e) => (e as { text: string }).text).join("")).toBe("xyz");
    expect(events.at(-1)).toEqual({ kind: "end", reason: "completed", usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 } });
  });

  test("an abort signal stops the model request and ends the turn as cancelled", async () => {
    model.lockstep.enable();
    model.script({ text: ["one", " two", " three", " four"] });
    const controller = new AbortController();
    const events: TaskEvent[] = [];
    const done = runTask(runtime, task("stop me"), (event) => events.push(event), { signal: controller.signal });
    await model.lockstep.waitForSent(0);
    controller.abort("cancelled");
    await model.waitForAbort();
    await done;
    model.lockstep.disable();
    expect(events.at(-1)).toMatchObject({ kind: "end", reason: "cancelled" });
    expect(events.filter((e) => e.kind === "end")).toHaveLength(1);
  });

  test("a re-run of a task whose reply is already stored emits it whole without asking the model; a first run never looks", async () => {
    model.script({ text: ["stored", " reply"] });
    const first = task("once");
    await runTask(runtime, first, () => {}, { firstRun: true });
    const asked = model.chatRequests.length;
    const events: TaskEvent[] = [];
    await runTask(runtime, first, (event) => events.push(event));
    expect(model.chatRequests.length).toBe(asked);
    expect(events).toEqual([{ kind: "delta", text: "stored reply" }, { kind: "end", reason: "completed" }]);
    // Marked as a first run, the same task goes to the model again (the caller vouches none ran).
    model.script({ text: ["fresh"] });
    const again: TaskEvent[] = [];
    await runTask(runtime, first, (event) => again.push(event), { firstRun: true });
    expect(model.chatRequests.length).toBe(asked + 1);
    expect(again.filter((e) => e.kind === "delta").map((e) => (e as { text: string }).text).join("")).toBe("fresh");
  });

  test("an unknown agent ends the turn as failed instead of throwing", async () => {
    const events: TaskEvent[] = [];
    await runTask(runtime, { ...task("x"), agent: "nope" }, (event) => events.push(event));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "end", reason: "failed", error: { code: "bad_request", retryable: false } });
    expect((events[0] as { error: { message: string } }).error.message).toContain('"nope"');
  });
});

describe("describeFailure: what the user is told", () => {
  test("never leaks internals, and says whether retrying helps", () => {
    expect(describeFailure(new AppError("model_not_configured", "Set llm.model."))).toEqual({
      code: "model_not_configured",
      message: "Set llm.model.",
      retryable: false,
    });
    expect(describeFailure(Object.assign(new Error("x"), { status: 429 }))).toMatchObject({ code: "model_error", retryable: true });
    expect(describeFailure(Object.assign(new Error("x"), { status: 503 })).message).toContain("503");
    expect(describeFailure(Object.assign(new Error("x"), { status: 400 }))).toMatchObject({ retryable: false });
    expect(describeFailure(new Error("Request timed out.")).message).toContain("in time");
    const generic = describeFailure(new Error("ECONNREFUSED 10.0.0.1:443 secret-token-abc"));
    expect(generic.message).not.toContain("secret");
    expect(generic.retryable).toBe(true);
  });
});
