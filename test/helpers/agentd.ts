import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer } from "../../src/app/server.ts";
import { hashPassword } from "../../src/auth/passwords.ts";
import { ConfigSchema, type Config, type ConfigInput } from "../../src/config/schema.ts";
import { silentLogger, type Logger } from "../../src/log.ts";
import type { MessageEnd, ServerMessage } from "../../src/protocol/index.ts";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { openSocket, type TestSocket } from "./ws.ts";

export const TEST_SECRET = "test-secret-that-is-at-least-32-bytes-long!!";

export interface TestAgentd {
  server: RunningServer;
  config: Config;
  dataDir: string;
  model: FixtureModel;
  /** `http://127.0.0.1:<port>` */
  url: string;
  wsUrl(conversationId: string, query?: string): string;
  addUser(username: string, password?: string, role?: "admin" | "user"): Promise<string>;
  /** Logs in over HTTP; returns the access token and the Set-Cookie values. */
  login(username: string, password?: string): Promise<{ token: string; cookies: string[] }>;
  api(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  createConversation(token: string, body?: Record<string, unknown>): Promise<string>;
  connect(conversationId: string, token: string): Promise<TestSocket>;
  /** Restarts the server on the same data dir and config (new port). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const PASSWORD = "correct horse battery staple";

/** A real agentd on port 0 with a temp data dir, pointed at a fresh fixture model. */
export async function startTestAgentd(
  overrides: ConfigInput = {},
  options: { model?: FixtureModel; dataDir?: string; logger?: Logger } = {},
): Promise<TestAgentd> {
  const model = options.model ?? (await startFixtureModel());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "agentd-test-"));
  const config = ConfigSchema.parse({
    ...overrides,
    server: { host: "127.0.0.1", port: 0, shutdown_timeout_ms: 2000, ...overrides.server },
    data_dir: dataDir,
    auth: { jwt_secret: TEST_SECRET, ...overrides.auth },
    llm: { base_url: model.url, model: "fixture-model", api_key: "test-key", max_retries: 0, ...overrides.llm },
    workers: { threads: 1, ...overrides.workers },
  });
  let server = await startServer(config, { logger: options.logger ?? silentLogger });
  const harness: TestAgentd = {
    get server() {
      return server;
    },
    config,
    dataDir,
    model,
    get url() {
      return server.url;
    },
    wsUrl: (id, query) => `${server.url.replace("http", "ws")}/ws/chat/${id}${query ? `?${query}` : ""}`,
    async addUser(username, password = PASSWORD, role = "user") {
      return (await server.store.users.create({ username, passwordHash: await hashPassword(password), role })).id;
    },
    async login(username, password = PASSWORD) {
      const response = await fetch(`${server.url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password }),
      });
      if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { token: string };
      return { token: body.token, cookies: response.headers.getSetCookie() };
    },
    api(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set("authorization", `Bearer ${init.token}`);
      if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
      return fetch(`${server.url}${path}`, { ...init, headers });
    },
    async createConversation(token, body = {}) {
      const response = await harness.api("/api/conversations", { method: "POST", token, body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`create conversation failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    },
    async connect(conversationId, token) {
      const socket = openSocket(harness.wsUrl(conversationId), { authorization: `Bearer ${token}` });
      await socket.next("session.ready");
      return socket;
    },
    async restart() {
      await server.stop();
      server = await startServer(config, { logger: options.logger ?? silentLogger });
    },
    async close() {
      await server.stop();
      if (!options.model) await model.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Sends a message and collects its reply: the concatenated delta text and the end frame. */
export async function sendAndCollect(socket: TestSocket, content: string, clientMessageId: string = crypto.randomUUID()) {
  socket.send({ type: "message.send", clientMessageId, content });
  const accepted = await socket.next("message.accepted");
  let text = "";
  let end: MessageEnd | undefined;
  const ours = (frame: ServerMessage) =>
    (frame.type === "message.delta" || frame.type === "message.end") && frame.messageId === accepted.messageId;
  while (!end) {
    const frame = await socket.nextMatching(ours);
    if (frame.type === "message.delta") text += frame.text;
    if (frame.type === "message.end") end = frame;
  }
  return { accepted, text, end };
}
