import { afterAll, beforeAll, expect, test } from "bun:test";
import { dirname, join } from "node:path";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { buildBinary, emptyDir, spawnBinary } from "../helpers/binary.ts";
import { openSocket } from "../helpers/ws.ts";

let binary: string;
let model: FixtureModel;

beforeAll(async () => {
  [binary, model] = await Promise.all([buildBinary(), startFixtureModel()]);
}, 120_000);
afterAll(() => model.close());

test("the compiled binary redacts paths in its own directory and its data dir, and logs counts without the secret", async () => {
  const cwd = emptyDir();
  const dataDir = join(cwd, "data");
  const env = {
    AGENTD_DATA_DIR: dataDir,
    AGENTD_SERVER__HOST: "127.0.0.1",
    AGENTD_SERVER__PORT: "0",
    AGENTD_LLM__BASE_URL: model.url,
    AGENTD_LLM__MODEL: "fixture-model",
    AGENTD_WORKERS__THREADS: "1",
  };
  const server = spawnBinary(binary, ["serve"], { cwd, env });
  await server.waitForOutput("agentd listening");
  const url = /"url":"(http:\/\/[^"]+)"/.exec(server.output())![1]!;
  const password = (await Bun.file(join(dataDir, "initial-admin-password")).text()).trim();
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  const { token } = (await login.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const { id } = (await (await fetch(`${url}/api/conversations`, { method: "POST", headers, body: "{}" })).json()) as { id: string };

  const installed = join(dirname(binary), "agentd");
  model.script({ text: ["Binary ", installed.slice(0, 6), `${installed.slice(6)}, data ${dataDir}`, "/agentd.db, key AKIAIOSF", "ODNN7EXAMPLE."] });
  const socket = openSocket(`${url.replace("http", "ws")}/ws/chat/${id}?token=${token}`);
  await socket.next("session.ready");
  socket.send({ type: "message.send", clientMessageId: "m1", content: "where do you live?" });
  expect((await socket.next("message.end")).reason).toBe("completed");
  const text = socket.frames.flatMap((f) => (f.type === "message.delta" ? [f.text] : [])).join("");
  expect(text).toBe("Binary [REDACTED:path], data [REDACTED:path], key [REDACTED:aws_access_key].");
  socket.close();

  server.proc.kill("SIGTERM");
  expect(await server.proc.exited).toBe(0);
  expect(server.output()).toContain('"redactions":{"path":2,"aws_access_key":1}');
  expect(server.output()).not.toContain("AKIAIOSFODNN7EXAMPLE");
}, 60_000);
