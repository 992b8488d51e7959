import { describe, expect, test } from "bun:test";
import { ConfigSchema } from "../../src/config/schema.ts";
import { sendAndCollect, startTestAgentd } from "../helpers/agentd.ts";
import { parseMetrics, sampleValue } from "../helpers/prometheus-text.ts";

const TOKEN = "metrics-token-0123456789";

describe("where and how /metrics is served", () => {
  test("metrics.token: no token or a wrong one is 401 with a JSON error; the right one is 200 (agents on the main thread: model timings recorded too)", async () => {
    const agentd = await startTestAgentd({ metrics: { token: TOKEN }, workers: { threads: 0 } });
    try {
      const missing = await agentd.api("/metrics");
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
      expect((await agentd.api("/metrics", { token: "wrong-token-wrong-token" })).status).toBe(401);

      await agentd.addUser("inline");
      const { token } = await agentd.login("inline");
      const socket = await agentd.connect(await agentd.createConversation(token), token);
      agentd.model.script({ text: ["one", " two"], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } });
      await sendAndCollect(socket, "hello");
      socket.close();
      const ok = await agentd.api("/metrics", { token: TOKEN });
      expect(ok.status).toBe(200);
      const samples = parseMetrics(await ok.text());
      const model = { provider: "openai", model: "fixture-model" };
      expect(sampleValue(samples, "agentd_llm_first_token_seconds_count", model)).toBe(1);
      expect(sampleValue(samples, "agentd_llm_tokens_total", { ...model, direction: "input" })).toBe(4);
      expect(sampleValue(samples, "agentd_llm_tokens_total", { ...model, direction: "output" })).toBe(2);
    } finally {
      await agentd.close();
    }
  });

  test("metrics.listen (with a token): /metrics moves to its own address and leaves the main listener", async () => {
    const agentd = await startTestAgentd({ metrics: { listen: "127.0.0.1:0", token: TOKEN }, workers: { threads: 0 } });
    try {
      expect(agentd.server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(agentd.server.metricsUrl).not.toContain(`:${agentd.server.port}/`);
      expect((await fetch(agentd.server.metricsUrl!)).status).toBe(401);
      const separate = await fetch(agentd.server.metricsUrl!, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(separate.status).toBe(200);
      expect(await separate.text()).toContain("agentd_tasks");
      expect((await agentd.api("/metrics")).status).toBe(404);
    } finally {
      await agentd.close();
    }
  });

  test("metrics.enabled: false serves no /metrics at all", async () => {
    const agentd = await startTestAgentd({ metrics: { enabled: false, listen: "127.0.0.1:0" }, workers: { threads: 0 } });
    try {
      expect(agentd.server.metricsUrl).toBeUndefined();
      expect((await agentd.api("/metrics")).status).toBe(404);
    } finally {
      await agentd.close();
    }
  });

  test("config: metrics.listen must be HOST:PORT and metrics.token at least 16 characters", () => {
    expect(ConfigSchema.safeParse({ metrics: { listen: "9464" } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ metrics: { listen: "[::1]:9464" } }).success).toBe(true);
    expect(ConfigSchema.safeParse({ metrics: { token: "short" } }).success).toBe(false);
  });
});
