import { afterAll, describe, expect, test } from "bun:test";
import { runCli } from "../../src/cli/main.ts";
import { sendAndCollect, startTestAgentd } from "../helpers/agentd.ts";
import { requirePostgres, requireRedis } from "../helpers/services.ts";
import { startFixtureModel } from "../fixtures/openai-fixture.ts";

// The composition root in this process (the two-node test runs agentd as child processes): with
// postgres.url and redis.url it picks Postgres and Redis, /readyz checks them, and a reply streams
// through Redis pub/sub.
const postgres = await requirePostgres();
const redis = await requireRedis();
afterAll(async () => {
  await postgres?.close();
  await redis?.cleanup();
});

type Readiness = { ready: boolean; checks: Record<string, { ok: boolean; reason?: string }> };

describe.skipIf(!postgres || !redis)("one node on Postgres and Redis", () => {
  test("serves a reply through Redis pub/sub; /readyz checks storage, checkpoints and redis; migrate finds nothing to do", async () => {
    const schema = await postgres!.createSchema();
    const agentd = await startTestAgentd({
      postgres: { url: postgres!.url, schema, pool_min: 2, pool_max: 4 },
      redis: { url: redis!.url, key_prefix: redis!.prefix },
    });
    try {
      const ready = await agentd.api("/readyz");
      expect(((await ready.json()) as Readiness).checks).toMatchObject({ storage: { ok: true }, checkpoints: { ok: true }, redis: { ok: true } });
      expect(ready.status).toBe(200);

      await agentd.addUser("paula");
      const { token } = await agentd.login("paula");
      const socket = await agentd.connect(await agentd.createConversation(token), token);
      // The socket's subscription is on Redis: the deltas come back through it.
      const channels = (await redis!.client.pubsub("CHANNELS", `${redis!.prefix}*`)) as string[];
      expect(channels.some((channel) => channel.startsWith(`${redis!.prefix}conversation:`))).toBe(true);
      agentd.model.script({ text: ["via ", "redis"] });
      expect((await sendAndCollect(socket, "hello")).text).toBe("via redis");
      socket.close();

      // A logout puts the access token on the shared deny-list, kept until the token's own expiry.
      expect((await agentd.api("/api/auth/logout", { method: "POST", token })).status).toBe(204);
      const denied = (await redis!.client.keys(`${redis!.prefix}deny:*`)) as string[];
      expect(denied).toHaveLength(1);
      expect(await redis!.client.pttl(denied[0]!)).toBeGreaterThan(0);
      expect((await agentd.api("/api/me", { token })).status).toBe(401);

      let said = "";
      const code = await runCli(["migrate"], {
        stdout: (text) => void (said += text),
        stderr: (text) => void (said += text),
        env: { AGENTD_POSTGRES__URL: postgres!.url, AGENTD_POSTGRES__SCHEMA: schema },
        cwd: agentd.dataDir,
        readStdin: async () => "",
      });
      expect(code).toBe(0);
      expect(said).toContain("nothing to apply");
      expect(said).toContain("checkpoint tables are at the newest version");
    } finally {
      await agentd.close();
    }
  });

  test("Redis unreachable: the node serves, and /readyz says redis is not ready and why", async () => {
    // Nothing listens on port 1.
    const agentd = await startTestAgentd({ redis: { url: "redis://127.0.0.1:1", key_prefix: redis!.newPrefix() } });
    try {
      const ready = await agentd.api("/readyz");
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as Readiness;
      expect(body.checks.redis?.ok).toBe(false);
      expect(body.checks.redis?.reason).toBeString();
      expect(body.checks.storage?.ok).toBe(true);
      expect((await agentd.api("/healthz")).status).toBe(200);
    } finally {
      await agentd.close();
    }
  });

  test("limits.llm_requests_per_minute is one budget for all the nodes: the second call anywhere waits for the next minute", async () => {
    const schema = await postgres!.createSchema();
    const model = await startFixtureModel();
    const config = {
      postgres: { url: postgres!.url, schema, pool_max: 3 },
      redis: { url: redis!.url, key_prefix: redis!.newPrefix() },
      limits: { llm_requests_per_minute: 1 },
      workers: { threads: 0 },
    };
    const first = await startTestAgentd(config, { model });
    const second = await startTestAgentd(config, { model });
    try {
      await first.addUser("quota");
      const onFirst = await first.login("quota");
      const onSecond = await second.login("quota");
      const one = await first.connect(await first.createConversation(onFirst.token), onFirst.token);
      const two = await second.connect(await second.createConversation(onSecond.token), onSecond.token);
      model.script({ text: ["the one call"] });
      expect((await sendAndCollect(one, "first")).text).toBe("the one call");
      two.send({ type: "message.send", clientMessageId: "second", content: "second" });
      await two.next("message.accepted");
      await Bun.sleep(1_000);
      // Counted per node, the other node would have called at once.
      expect(model.chatRequests).toHaveLength(1);
      expect(first.securityEvents().concat(second.securityEvents())).toContainEqual(expect.objectContaining({ kind: "rate_limit.hit", ruleId: "llm_requests_per_minute" }));
      one.close();
      two.close();
    } finally {
      await first.close();
      await second.close();
      await model.close();
    }
  }, 20_000);

  test("checkpoints go through the Redis hot cache: a reply's history is cached, and a start warms the cache with recent conversations", async () => {
    const prefix = redis!.newPrefix();
    const agentd = await startTestAgentd({
      postgres: { url: postgres!.url, schema: await postgres!.createSchema(), pool_max: 3 },
      redis: { url: redis!.url, key_prefix: prefix },
      cache: { ttl: "10m", warm_conversations: 5 },
      workers: { threads: 0 },
    });
    try {
      await agentd.addUser("cached");
      const { token } = await agentd.login("cached");
      const id = await agentd.createConversation(token);
      const socket = await agentd.connect(id, token);
      agentd.model.script({ text: ["remembered"] });
      expect((await sendAndCollect(socket, "remember me")).text).toBe("remembered");
      socket.close();
      const read = async () => ((await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as { messages: { content: string }[] }).messages.map((m) => m.content);
      expect(await read()).toEqual(["remember me", "remembered"]);
      const cachedKeys = () => redis!.client.keys(`${prefix}checkpoints:*${id}}:t`) as Promise<string[]>;
      expect(await cachedKeys()).toHaveLength(1);
      const ttl = await redis!.client.pttl((await cachedKeys())[0]!);
      expect(ttl).toBeGreaterThan(9 * 60_000);
      expect(ttl).toBeLessThanOrEqual(10 * 60_000);

      await redis!.client.del(...(await cachedKeys()));
      await agentd.restart();
      const deadline = Date.now() + 5_000;
      while ((await cachedKeys()).length === 0 && Date.now() < deadline) await Bun.sleep(20);
      expect(await cachedKeys()).toHaveLength(1);
      expect(await read()).toEqual(["remember me", "remembered"]);
    } finally {
      await agentd.close();
    }
  });
});
