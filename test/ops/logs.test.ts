import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { batchLines, createLogger, resolveLogFormat, withFields, type LogLevel } from "../../src/log.ts";
import { PASSWORD, sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { until } from "../helpers/until.ts";

describe("log format", () => {
  test("pretty lines are readable: time, level, message, key=value", () => {
    const lines: string[] = [];
    const log = createLogger("debug", (line) => lines.push(line), "pretty");
    log.info("agentd listening", { url: "http://127.0.0.1:8080", demo: false, reason: "two words" });
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  agentd listening url=http:\/\/127\.0\.0\.1:8080 demo=false reason="two words"$/);
  });

  test("auto is pretty on a terminal and JSON otherwise; explicit formats win", () => {
    expect(resolveLogFormat("auto", true)).toBe("pretty");
    expect(resolveLogFormat("auto", false)).toBe("json");
    expect(resolveLogFormat("json", true)).toBe("json");
    expect(resolveLogFormat("pretty", false)).toBe("pretty");
  });

  test("withFields adds context to every line; a line's own fields win", () => {
    const lines: string[] = [];
    const log = withFields(createLogger("debug", (line) => lines.push(line)), { taskId: "t1", userId: "u1" });
    log.warn("slow", { userId: "u2" });
    log.debug("detail");
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "warn", msg: "slow", taskId: "t1", userId: "u2" });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: "debug", taskId: "t1", userId: "u1" });
  });
});

describe("batched log lines", () => {
  test("lines of one event-loop turn go out in one write, in order; flush writes what waits at once", async () => {
    const writes: string[] = [];
    const out = batchLines((text) => writes.push(text));
    out.write("a\n");
    out.write("b\n");
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(["a\nb\n"]);
    out.write("c\n");
    out.flush();
    expect(writes).toEqual(["a\nb\n", "c\n"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2); // nothing written twice
  });

  test("a large backlog is written before the turn ends", () => {
    const writes: string[] = [];
    const out = batchLines((text) => writes.push(text));
    const line = `${"x".repeat(1_023)}\n`;
    for (let i = 0; i < 64; i++) out.write(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(64 * 1_024);
  });
});

describe("request ids and context in the server's log", () => {
  let agentd: TestAgentd;
  const lines: { level: LogLevel; entry: Record<string, unknown> }[] = [];
  const secretText = "my very private question about taxes";

  beforeAll(async () => {
    const logger = createLogger("info", (line, level) => lines.push({ level, entry: JSON.parse(line) }));
    agentd = await startTestAgentd({ workers: { threads: 0 } }, { logger });
    await agentd.addUser("logan");
  });
  afterAll(() => agentd.close());

  const infoText = () => lines.map((line) => JSON.stringify(line.entry)).join("\n");

  test("every HTTP response has an X-Request-Id, and its log line carries it, the user, never the query", async () => {
    const { token } = await agentd.login("logan");
    const response = await agentd.api("/api/me?token=should-not-be-logged", { token });
    const id = response.headers.get("x-request-id");
    expect(id).toBeTruthy();
    const line = lines.find((l) => l.entry.requestId === id)!;
    expect(line.entry).toMatchObject({ msg: "http request", method: "GET", path: "/api/me", status: 200 });
    expect(typeof line.entry.userId).toBe("string");
    expect(infoText()).not.toContain("should-not-be-logged");
  });

  test("a request id sent by a proxy (X-Request-Id) is kept", async () => {
    const response = await agentd.api("/api/info", { headers: { "x-request-id": "edge-1234" } });
    expect(response.headers.get("x-request-id")).toBe("edge-1234");
    expect(lines.some((l) => l.entry.requestId === "edge-1234")).toBe(true);
    // Anything else (spaces, newlines: a forged log line) is replaced by a generated id.
    const forged = await agentd.api("/api/info", { headers: { "x-request-id": 'x" level=error' } });
    expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("probes are logged at debug only, so they do not drown the info log", async () => {
    await agentd.api("/healthz", { headers: { "x-request-id": "probe-1" } });
    expect(lines.some((l) => l.entry.requestId === "probe-1")).toBe(false);
  });

  test("a finished reply logs taskId, conversationId and userId at info, and no message text or password", async () => {
    const { token } = await agentd.login("logan");
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    agentd.model.script({ text: ["the", " answer"] });
    const { accepted } = await sendAndCollect(socket, secretText);
    socket.close();
    // Written once the task's final state is stored, just after its end was published.
    const line = await until(() => lines.find((l) => l.entry.msg === "reply ended" && l.entry.taskId === accepted.taskId), "the reply's log line");
    expect(line.level).toBe("info");
    expect(line.entry).toMatchObject({ conversationId: id, reason: "completed", agent: "assistant" });
    expect(typeof line.entry.userId).toBe("string");
    expect(infoText()).not.toContain(secretText);
    expect(infoText()).not.toContain("the answer");
    expect(infoText()).not.toContain(PASSWORD);
  });
});
