import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { requirePostgres } from "../helpers/services.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";

// Postgres goes away while agentd runs (a proxy the test cuts; the shared server keeps running):
// requests are refused with storage_unavailable rather than `internal` or a hang, the socket keeps
// serving, /readyz says why, and everything works again once the server is back.
const postgres = await requirePostgres();
let proxy: TcpProxy;
let agentd: TestAgentd;

beforeAll(async () => {
  if (!postgres) return;
  const direct = new URL(postgres.url);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
  const viaProxy = new URL(postgres.url);
  viaProxy.port = String(proxy.port);
  agentd = await startTestAgentd({ postgres: { url: viaProxy.toString(), schema: await postgres.createSchema(), pool_max: 3, connect_timeout_ms: 1000 } });
  await agentd.addUser("olga");
}, 30_000);

afterAll(async () => {
  await proxy?.restore();
  await agentd?.close();
  await proxy?.close();
  await postgres?.close();
});

test.skipIf(!postgres)("while Postgres is unreachable: 503 storage_unavailable, an error frame, /readyz says so; then it recovers", async () => {
  const { token } = await agentd.login("olga");
  const id = await agentd.createConversation(token);
  const socket = await agentd.connect(id, token);

  await proxy.cut();
  const listed = await agentd.api("/api/conversations", { token });
  expect(listed.status).toBe(503);
  expect(((await listed.json()) as { error: { code: string; message: string } }).error).toMatchObject({
    code: "storage_unavailable",
    message: expect.stringContaining("PostgreSQL at"),
  });
  socket.send({ type: "message.send", clientMessageId: "during-outage", content: "are you there?" });
  expect(await socket.next("error")).toMatchObject({ code: "storage_unavailable", retryable: true, clientMessageId: "during-outage" });
  const ready = await agentd.api("/readyz");
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks.storage?.ok).toBe(false);

  await proxy.restore();
  let status = 0;
  // Recovery takes up to postgres.connect_timeout_ms (here 1 s) when a reconnect stalls, usually less.
  const restored = performance.now();
  while (status !== 200 && performance.now() - restored < 4000) {
    status = (await agentd.api("/api/conversations", { token })).status;
    if (status !== 200) await Bun.sleep(50);
  }
  expect(status).toBe(200);
  // The refused message was not half-accepted: sending it again is a fresh, answered message.
  agentd.model.script({ text: ["back"] });
  socket.send({ type: "message.send", clientMessageId: "during-outage", content: "are you there?" });
  const accepted = await socket.next("message.accepted");
  expect(accepted.clientMessageId).toBe("during-outage");
  expect((await socket.next("message.end")).reason).toBe("completed");
  expect((await agentd.api("/readyz")).status).toBe(200);
  socket.close();
}, 30_000);
