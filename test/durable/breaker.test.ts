import { afterAll, expect, test, setDefaultTimeout } from "bun:test";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { OffsetClock } from "../helpers/clock.ts";

// Real servers and processes: generous limits for a loaded machine.
setDefaultTimeout(30_000);

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function breakerState(agentd: TestAgentd, model = "llm") {
  const body = (await (await agentd.api("/readyz")).json()) as { breakers: Record<string, { state: string }> };
  return body.breakers[model]?.state;
}

test("5 failed calls open the breaker; the fallback model answers; after the open window two successful trials close it", async () => {
  const fallback: FixtureModel = await startFixtureModel({ defaultReply: (request) => ({ text: `fallback says: ${request.body?.messages?.at(-1)?.content}` }) });
  cleanup.push(() => fallback.close());
  const clock = new OffsetClock();
  const agentd = await startTestAgentd(
    { queue: { max_retries: 0 }, llm: { fallback: { base_url: fallback.url, model: "local-model", api_key: "k", max_retries: 0 } } },
    { clock },
  );
  cleanup.push(() => agentd.close());
  await agentd.addUser("bea");
  const { token } = await agentd.login("bea");
  const socket = await agentd.connect(await agentd.createConversation(token), token);

  for (let i = 0; i < 5; i++) {
    expect(await breakerState(agentd)).toBe(i === 0 ? undefined : "closed");
    agentd.model.script({ error: { status: 500, message: "provider down" } });
    expect((await sendAndCollect(socket, `try ${i}`)).end).toMatchObject({ reason: "failed", error: { code: "model_error" } });
  }
  expect(await breakerState(agentd)).toBe("open");

  const primaryCalls = agentd.model.chatRequests.length;
  const answered = await sendAndCollect(socket, "anyone there?");
  expect(answered.end.reason).toBe("completed");
  expect(answered.text).toBe("fallback says: anyone there?");
  expect(agentd.model.chatRequests.length).toBe(primaryCalls);
  expect(fallback.chatRequests).toHaveLength(1);

  clock.advance(60_000);
  expect(await breakerState(agentd)).toBe("half_open");
  expect((await sendAndCollect(socket, "trial one")).text).toBe("echo: trial one");
  expect(await breakerState(agentd)).toBe("half_open");
  expect((await sendAndCollect(socket, "trial two")).text).toBe("echo: trial two");
  expect(await breakerState(agentd)).toBe("closed");
  expect(fallback.chatRequests).toHaveLength(1);
});

test("open without a fallback: the turn ends failed with model_unavailable and retryAfterMs; a 4xx does not count", async () => {
  const clock = new OffsetClock();
  const agentd = await startTestAgentd({ queue: { max_retries: 0 }, breaker: { failures: 2, open_ms: 30_000 } }, { clock });
  cleanup.push(() => agentd.close());
  await agentd.addUser("ben");
  const { token } = await agentd.login("ben");
  const socket = await agentd.connect(await agentd.createConversation(token), token);
  agentd.model.script({ error: { status: 400 } }, { error: { status: 500 } }, { error: { status: 400 } }, { error: { status: 500 } });
  for (let i = 0; i < 3; i++) await sendAndCollect(socket, `fail ${i}`);
  expect(await breakerState(agentd)).toBe("closed");
  await sendAndCollect(socket, "fail 3");
  expect(await breakerState(agentd)).toBe("open");
  const calls = agentd.model.chatRequests.length;
  const refused = await sendAndCollect(socket, "still down?");
  expect(refused.end).toMatchObject({ reason: "failed", error: { code: "model_unavailable", retryable: true } });
  expect(refused.end.error?.retryAfterMs).toBeGreaterThan(29_000);
  expect(agentd.model.chatRequests.length).toBe(calls);
  // A failed trial re-opens it.
  clock.advance(30_000);
  agentd.model.script({ error: { status: 502 } });
  await sendAndCollect(socket, "trial");
  expect(await breakerState(agentd)).toBe("open");
});
