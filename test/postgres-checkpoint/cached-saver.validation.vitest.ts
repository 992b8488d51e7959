import { deltaChannelHistoryTests, validate } from "@langchain/langgraph-checkpoint-validation";
import { Redis } from "ioredis";
import postgres from "postgres";
import { openPostgresSaver } from "../../src/checkpoint/postgres-saver.ts";
import { CachedCheckpointSaver } from "../../src/checkpoint/redis-cache.ts";

// Each checkpointer: a fresh schema and its own Redis key prefix; schemas and keys go at the end.
const url = process.env.TEST_POSTGRES_URL!;
const redisUrl = process.env.TEST_REDIS_URL!;
const admin = postgres(url, { max: 1, onnotice: () => {} });
const schemas: string[] = [];
const prefixes: string[] = [];
const clients = new Map<CachedCheckpointSaver, Redis>();

async function createCheckpointer(): Promise<CachedCheckpointSaver> {
  const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  schemas.push(`test_cp_${suffix}`);
  prefixes.push(`test:cp:${suffix}:`);
  const inner = await openPostgresSaver({ url, schema: `test_cp_${suffix}`, poolMin: 0, poolMax: 4 });
  const client = new Redis(redisUrl);
  const saver = new CachedCheckpointSaver(inner, { client, prefix: `test:cp:${suffix}:`, ttlMs: 60_000, onError: (error) => console.error(error) });
  clients.set(saver, client);
  return saver;
}

const initializer = {
  // Not an upstream package name: the suite skips some specs for those by name.
  checkpointerName: "agentd-postgres-redis-cache",
  createCheckpointer,
  async destroyCheckpointer(saver: CachedCheckpointSaver) {
    await (saver.inner as Awaited<ReturnType<typeof openPostgresSaver>>).end();
    clients.get(saver)?.disconnect();
  },
};

validate<CachedCheckpointSaver>({
  ...initializer,
  async afterAll() {
    for (const schema of schemas) await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    const cleaner = new Redis(redisUrl);
    for (const prefix of prefixes) {
      const keys = await cleaner.keys(`${prefix}*`);
      if (keys.length > 0) await cleaner.del(...keys);
    }
    cleaner.disconnect();
  },
});
deltaChannelHistoryTests<CachedCheckpointSaver>(initializer);
