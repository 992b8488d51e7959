import { deltaChannelHistoryTests, validate } from "@langchain/langgraph-checkpoint-validation";
import postgres from "postgres";
import { openPostgresSaver, type PostgresSaver } from "../../src/checkpoint/postgres-saver.ts";

// The whole run lives in one fresh schema per checkpointer the suite asks for; all are dropped at the end.
const url = process.env.TEST_POSTGRES_URL!;
const admin = postgres(url, { max: 1, onnotice: () => {} });
const schemas: string[] = [];

async function createCheckpointer(): Promise<PostgresSaver> {
  const schema = `test_cp_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  schemas.push(schema);
  return openPostgresSaver({ url, schema, poolMin: 0, poolMax: 4 });
}

const initializer = {
  // Not an upstream package name: the suite skips some specs for those by name.
  checkpointerName: "agentd-postgres",
  createCheckpointer,
  destroyCheckpointer: (saver: PostgresSaver) => saver.end(),
};

validate<PostgresSaver>({
  ...initializer,
  async afterAll() {
    for (const schema of schemas) await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  },
});
deltaChannelHistoryTests<PostgresSaver>(initializer);
