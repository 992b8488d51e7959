import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { METRICS } from "../../src/metrics/catalogue.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { parseMetrics, sampleValue, type Sample } from "../helpers/prometheus-text.ts";
import { openSocket } from "../helpers/ws.ts";

const MODEL = { provider: "openai", model: "fixture-model" };

async function scrape(agentd: TestAgentd): Promise<Sample[]> {
  const response = await agentd.api("/metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return parseMetrics(await response.text());
}

describe("/metrics after a scripted conversation (agent on a worker thread)", () => {
  let agentd: TestAgentd;
  let midStream: Sample[];
  let after: Sample[];
  let metricsText: string;

  beforeAll(async () => {
    // No retries: the scripted 500 must end its reply as failed.
    agentd = await startTestAgentd({ workers: { threads: 1 }, queue: { max_retries: 0 } });
    await agentd.addUser("alice");
    const { token } = await agentd.login("alice");
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);

    // A completed reply with the provider's usage, a failed one (HTTP 500).
    agentd.model.script({ text: ["Hello", " there", "!"], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } });
    expect((await sendAndCollect(socket, "hi")).end.reason).toBe("completed");
    agentd.model.script({ error: { status: 500, message: "boom" } });
    expect((await sendAndCollect(socket, "again")).end.reason).toBe("failed");

    // One reply held mid-stream and a second message of the same conversation waiting behind it.
    agentd.model.lockstep.enable();
    agentd.model.script(
      { text: ["held", " reply"], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
      { text: ["later"], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    );
    socket.send({ type: "message.send", clientMessageId: "held", content: "first" });
    await agentd.model.lockstep.waitForSent(0);
    socket.send({ type: "message.send", clientMessageId: "queued", content: "second" });
    await socket.nextMatching((frame) => frame.type === "message.accepted" && frame.clientMessageId === "queued");
    midStream = await scrape(agentd);
    agentd.model.lockstep.disable();
    await socket.nextMatching((frame) => frame.type === "message.end");
    await socket.nextMatching((frame) => frame.type === "message.end");

    // A refused socket (bad token) and a closed one.
    const refused = openSocket(agentd.wsUrl(id), { authorization: "Bearer not-a-token" });
    expect((await refused.closed).code).toBe(4001);
    const second = await agentd.connect(id, token);
    second.close();
    await second.closed;

    const response = await agentd.api("/metrics");
    metricsText = await response.text();
    after = parseMetrics(metricsText);
    socket.close();
  });
  afterAll(() => agentd.close());

  test("agentd_tasks shows the running reply and the queued message while one streams", () => {
    expect(sampleValue(midStream, "agentd_tasks", { state: "running" })).toBe(1);
    expect(sampleValue(midStream, "agentd_tasks", { state: "queued" })).toBe(1);
    expect(sampleValue(after, "agentd_tasks", { state: "running" })).toBe(0);
    expect(sampleValue(after, "agentd_tasks", { state: "queued" })).toBe(0);
  });

  test("WebSocket gauges and histograms: open now, durations of closed ones, refusals by reason", () => {
    expect(sampleValue(midStream, "agentd_ws_connections")).toBe(1);
    expect(sampleValue(after, "agentd_ws_connection_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, "agentd_ws_connections_refused_total", { reason: "unauthorized" })).toBe(1);
  });

  test("agentd_messages_total and agentd_task_duration_seconds by agent and outcome", () => {
    expect(sampleValue(after, "agentd_messages_total", { agent: "assistant", outcome: "completed" })).toBe(3);
    expect(sampleValue(after, "agentd_messages_total", { agent: "assistant", outcome: "failed" })).toBe(1);
    expect(sampleValue(after, "agentd_task_duration_seconds_count", { agent: "assistant", outcome: "completed" })).toBe(3);
    expect(sampleValue(after, "agentd_task_duration_seconds_sum", { agent: "assistant", outcome: "completed" })).toBeGreaterThan(0);
  });

  test("model timings observed in the worker thread reach the main thread's registry", () => {
    expect(sampleValue(after, "agentd_llm_first_token_seconds_count", MODEL)).toBe(3);
    expect(sampleValue(after, "agentd_llm_first_token_seconds_sum", MODEL)).toBeGreaterThan(0);
    expect(sampleValue(after, "agentd_llm_duration_seconds_count", { ...MODEL, outcome: "completed" })).toBe(3);
    expect(sampleValue(after, "agentd_llm_duration_seconds_count", { ...MODEL, outcome: "failed" })).toBe(1);
  });

  test("agentd_llm_tokens_total is the provider's reported usage, by direction", () => {
    expect(sampleValue(after, "agentd_llm_tokens_total", { ...MODEL, direction: "input" })).toBe(11 + 5 + 3);
    expect(sampleValue(after, "agentd_llm_tokens_total", { ...MODEL, direction: "output" })).toBe(7 + 2 + 4);
  });

  test("default process metrics are there", () => {
    expect(sampleValue(after, "process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(sampleValue(after, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  test("every catalogued metric is declared, including those other parts will feed", () => {
    for (const name of Object.keys(METRICS)) expect(metricsText).toContain(`# TYPE ${name} `);
  });

  test("no label carries a user, conversation or task id", () => {
    const ids = new Set(["userId", "user", "conversation", "conversationId", "task", "taskId"]);
    const agentdSamples = after.filter((sample) => sample.name.startsWith("agentd_"));
    expect(agentdSamples.flatMap((sample) => Object.keys(sample.labels)).filter((label) => ids.has(label))).toEqual([]);
  });
});
