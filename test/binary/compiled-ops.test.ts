import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { buildBinary, emptyDir, spawnBinary } from "../helpers/binary.ts";
import { parseMetrics, sampleValue } from "../helpers/prometheus-text.ts";
import { openSocket } from "../helpers/ws.ts";

let binary: string;
let model: FixtureModel;

beforeAll(async () => {
  [binary, model] = await Promise.all([buildBinary(), startFixtureModel()]);
}, 120_000);
afterAll(() => model.close());

describe("operations with the compiled binary", () => {
  test("/metrics shows a worker thread's model timings; backup while serving; restore into a new data dir", async () => {
    const cwd = emptyDir();
    const env = {
      AGENTD_DATA_DIR: join(cwd, "data"),
      AGENTD_SERVER__HOST: "127.0.0.1",
      AGENTD_SERVER__PORT: "0",
      AGENTD_LLM__BASE_URL: model.url,
      AGENTD_LLM__MODEL: "fixture-model",
      AGENTD_WORKERS__THREADS: "1",
      AGENTD_LOG__FORMAT: "json",
    };
    const cli = async (args: string[], extra: Record<string, string> = {}, stdin?: string) => {
      const spawned = spawnBinary(binary, args, { cwd, env: { ...env, ...extra }, stdin });
      return { code: await spawned.proc.exited, output: spawned.output() };
    };
    expect((await cli(["user", "add", "ops", "--password-stdin"], {}, "a long enough password\n")).code).toBe(0);
    const server = spawnBinary(binary, ["serve"], { cwd, env });
    try {
      await server.waitForOutput("agentd listening");
      const url = /"url":"(http:\/\/[^"]+)"/.exec(server.output())![1]!;
      const login = await fetch(`${url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "ops", password: "a long enough password" }),
      });
      const { token } = (await login.json()) as { token: string };
      const created = await fetch(`${url}/api/conversations`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" });
      const { id } = (await created.json()) as { id: string };
      model.script({ text: ["compiled", " reply"], usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 } });
      const socket = openSocket(`${url.replace("http", "ws")}/ws/chat/${id}?token=${token}`);
      await socket.next("session.ready");
      socket.send({ type: "message.send", clientMessageId: "m1", content: "hello" });
      expect((await socket.next("message.end")).reason).toBe("completed");
      socket.close();

      const samples = parseMetrics(await (await fetch(`${url}/metrics`)).text());
      const labels = { provider: "openai", model: "fixture-model" };
      expect(sampleValue(samples, "agentd_llm_first_token_seconds_count", labels)).toBe(1);
      expect(sampleValue(samples, "agentd_llm_tokens_total", { ...labels, direction: "input" })).toBe(8);
      await server.waitForOutput('"msg":"reply ended"');

      const backup = await cli(["backup", "--out", join(cwd, "backup.tar.gz")]);
      expect(backup.output).toContain("backup written");
      expect(backup.code).toBe(0);
    } finally {
      server.proc.kill("SIGTERM");
      await server.proc.exited;
    }
    const restored = join(cwd, "restored");
    const restore = await cli(["restore", "--from", join(cwd, "backup.tar.gz")], { AGENTD_DATA_DIR: restored });
    expect(restore.code).toBe(0);
    expect(existsSync(join(restored, "agentd.db"))).toBe(true);
    expect((await cli(["user", "list"], { AGENTD_DATA_DIR: restored })).output).toContain("ops");
  }, 60_000);
});
