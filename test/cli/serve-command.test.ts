import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.ts";
import { createLogger } from "../../src/log.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "agentd-serve-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(args: string[], env: Record<string, string> = {}) {
  let out = "";
  const exited = runCli(args, {
    stdout: (text) => void (out += text),
    stderr: (text) => void (out += text),
    env: { AGENTD_DATA_DIR: join(dir, "data"), AGENTD_SERVER__HOST: "127.0.0.1", AGENTD_SERVER__PORT: "0", AGENTD_WORKERS__THREADS: "0", ...env },
    cwd: dir,
    readStdin: async () => "",
  });
  const listening = async () => {
    for (let i = 0; i < 200 && !out.includes("agentd listening"); i++) await Bun.sleep(10);
    return /"url":"([^"]+)"/.exec(out)?.[1];
  };
  return { exited, listening, output: () => out };
}

describe("agentd serve (in process)", () => {
  test("starts, logs JSON lines, says what chat is missing, and stops on SIGTERM with exit 0", async () => {
    const server = start(["serve"]);
    const url = await server.listening();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const lines = server.output().trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.find((line) => line.msg === "chat is off until a model is configured")?.reason).toContain("llm.model");
    expect(lines.every((line) => typeof line.time === "string" && typeof line.level === "string")).toBe(true);
    process.emit("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("agentd stopped");
  });

  test("a bare `agentd` serves; `agentd config check` and `help` answer", async () => {
    const server = start([]);
    expect(await server.listening()).toStartWith("http://127.0.0.1:");
    process.emit("SIGTERM");
    expect(await server.exited).toBe(0);
    const check = start(["config", "check"]);
    expect(await check.exited).toBe(0);
    expect(check.output()).toContain("ok: defaults");
    const help = start(["help"]);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain("Usage: agentd");
    expect(await start(["version"]).exited).toBe(0);
  });

  test("--demo labels the model as a demo in the log and in /api/info", async () => {
    const server = start(["serve", "--demo"], { AGENTD_LLM__BASE_URL: "http://127.0.0.1:9/v1", AGENTD_LLM__MODEL: "demo" });
    const url = await server.listening();
    expect(await (await fetch(`${url}/api/info`)).json()).toMatchObject({ demo: true, modelConfigured: true });
    expect(server.output()).toContain("DEMO MODE");
    process.emit("SIGINT");
    expect(await server.exited).toBe(0);
  });

  test("a bare --config starts serve too; a busy port exits 1; bad arguments exit 2", async () => {
    const first = start(["--config=missing.yaml"]);
    expect(await first.exited).toBe(2);
    const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const busy = start(["serve"], { AGENTD_SERVER__PORT: String(holder.port) });
    expect(await busy.exited).toBe(1);
    expect(busy.output()).toContain("could not start");
    holder.stop(true);
    expect(await start(["serve", "--bogus"]).exited).toBe(2);
    expect(await start(["serve", "--config"]).exited).toBe(2);
  });

});

describe("createLogger", () => {
  test("writes JSON lines at or above its level, errors as name and message only", () => {
    const lines: [string, string][] = [];
    const log = createLogger("warn", (line, level) => lines.push([level, line]));
    log.debug("hidden");
    log.info("hidden too");
    log.warn("shown", { taskId: "t1" });
    log.error("broke", { error: new Error("boom") });
    expect(lines.map(([level]) => level)).toEqual(["warn", "error"]);
    expect(JSON.parse(lines[0]![1])).toMatchObject({ level: "warn", msg: "shown", taskId: "t1" });
    expect(JSON.parse(lines[1]![1]).error).toEqual({ name: "Error", message: "boom" });
  });
});
