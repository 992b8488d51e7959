import { afterAll, expect, test } from "bun:test";
import { startFixtureModel } from "../fixtures/openai-fixture.ts";
import { sendAndCollect, TEST_SECRET } from "../helpers/agentd.ts";
import { spawnAgentd } from "../helpers/agentd-process.ts";
import { buildBinary, emptyDir, spawnBinary } from "../helpers/binary.ts";
import { requirePostgres, requireRedis } from "../helpers/services.ts";
import { openSocket } from "../helpers/ws.ts";

// The compiled binary on Postgres and Redis: `pg` (the checkpointer's driver), postgres.js and
// ioredis must all work inside it, in the main thread and in a worker thread.
const postgres = await requirePostgres();
const redis = await requireRedis();
afterAll(async () => {
  await postgres?.close();
  await redis?.cleanup();
});

test.skipIf(!postgres || !redis)(
  "dist/agentd migrates Postgres, then serves a reply with checkpoints in Postgres and pub/sub on Redis",
  async () => {
    const [binary, model, schema] = await Promise.all([buildBinary(), startFixtureModel(), postgres!.createSchema()]);
    const env = {
      AGENTD_DATA_DIR: emptyDir(),
      AGENTD_POSTGRES__URL: postgres!.url,
      AGENTD_POSTGRES__SCHEMA: schema,
      AGENTD_REDIS__URL: redis!.url,
      AGENTD_REDIS__KEY_PREFIX: redis!.prefix,
      AGENTD_AUTH__JWT_SECRET: TEST_SECRET,
      AGENTD_LLM__BASE_URL: model.url,
      AGENTD_LLM__MODEL: "fixture-model",
      AGENTD_LLM__API_KEY: "test-key",
      AGENTD_WORKERS__THREADS: "1",
    };
    try {
      const migrate = spawnBinary(binary, ["migrate"], { cwd: emptyDir(), env });
      expect(await migrate.proc.exited).toBe(0);
      expect(migrate.output()).toContain("app data migrated from version 0");
      const add = spawnBinary(binary, ["user", "add", "carol", "--password-stdin"], { cwd: emptyDir(), env, stdin: "binary on postgres\n" });
      expect(await add.proc.exited).toBe(0);

      const node = await spawnAgentd(env, { binary });
      try {
        expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
        const login = await fetch(`${node.url}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "carol", password: "binary on postgres" }),
        });
        const { token } = (await login.json()) as { token: string };
        const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
        const { id } = (await (await fetch(`${node.url}/api/conversations`, { method: "POST", headers, body: "{}" })).json()) as { id: string };
        model.script({ text: ["compiled ", "and ", "shared"] });
        const socket = openSocket(`${node.url.replace("http", "ws")}/ws/chat/${id}`, { authorization: `Bearer ${token}` });
        await socket.next("session.ready");
        expect((await sendAndCollect(socket, "hello")).text).toBe("compiled and shared");
        socket.close();
        const [row] = await postgres!.sql.unsafe(`SELECT count(*)::int AS n FROM "${schema}".checkpoints WHERE thread_id = $1`, [id]);
        expect(row?.n).toBeGreaterThan(0);
      } finally {
        expect(await node.stop()).toBe(0);
      }
    } finally {
      await model.close();
    }
  },
  180_000,
);
