import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

type Readiness = { ready: boolean; checks: Record<string, { ok: boolean; reason?: string }> };

describe("with a model configured", () => {
  let agentd: TestAgentd;
  beforeAll(async () => {
    agentd = await startTestAgentd();
  });
  afterAll(() => agentd.close());

  test("/healthz is 200 {status: ok}", async () => {
    const response = await agentd.api("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  test("/readyz is 200 with storage and model ok", async () => {
    const response = await agentd.api("/readyz");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Readiness;
    expect(body.ready).toBe(true);
    expect(body.checks.storage?.ok).toBe(true);
    expect(body.checks.model?.ok).toBe(true);
  });

  test("/api/info says the model is configured and names it", async () => {
    expect(await (await agentd.api("/api/info")).json()).toMatchObject({ modelConfigured: true, model: "fixture-model" });
  });
});

describe("with no model configured (llm.model unset)", () => {
  let agentd: TestAgentd;
  let token: string;
  beforeAll(async () => {
    agentd = await startTestAgentd({ llm: { model: undefined } });
    await agentd.addUser("nomodel");
    ({ token } = await agentd.login("nomodel"));
  });
  afterAll(() => agentd.close());

  test("/readyz is 503 and its model check names llm.model; storage is still ok", async () => {
    expect(agentd.config.llm.model).toBeUndefined();
    const response = await agentd.api("/readyz");
    expect(response.status).toBe(503);
    const body = (await response.json()) as Readiness;
    expect(body.ready).toBe(false);
    expect(body.checks.model?.ok).toBe(false);
    expect(body.checks.model?.reason).toContain("llm.model");
    expect(body.checks.storage?.ok).toBe(true);
  });

  test("the server still serves HTTP: /healthz, login, conversations", async () => {
    expect((await agentd.api("/healthz")).status).toBe(200);
    expect((await agentd.api("/api/me", { token })).status).toBe(200);
    const id = await agentd.createConversation(token);
    expect((await agentd.api(`/api/conversations/${id}`, { token })).status).toBe(200);
  });

  test("/api/info says modelConfigured: false", async () => {
    expect(await (await agentd.api("/api/info")).json()).toMatchObject({ modelConfigured: false });
  });

  test("a chat message gets error model_not_configured naming llm.model; the model is never called", async () => {
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    socket.send({ type: "message.send", clientMessageId: "no-model", content: "hello?" });
    const error = await socket.next("error");
    expect(error.code).toBe("model_not_configured");
    expect(error.message).toContain("llm.model");
    expect(error.clientMessageId).toBe("no-model");
    expect(error.retryable).toBe(false);
    // The socket stays open and nothing was accepted or sent to a model.
    socket.send({ type: "ping" });
    await socket.next("pong");
    expect(socket.frames.some((frame) => frame.type === "message.accepted")).toBe(false);
    expect(agentd.model.requests).toHaveLength(0);
    socket.close();
  });
});
