import { afterAll } from "bun:test";
import { PostgresAppStore } from "../../src/storage/postgres/app-store.ts";
import { requirePostgres } from "../helpers/services.ts";
import { appStoreSuite } from "./app-store.suite.ts";

const postgres = await requirePostgres();
if (postgres) {
  // One schema for the suite (dropped at the end); each test starts from empty tables.
  const schema = await postgres.createSchema();
  afterAll(() => postgres.close());
  appStoreSuite({
    name: "postgres",
    create: () => PostgresAppStore.open({ url: postgres.url, schema, poolMin: 1, poolMax: 4 }),
    async destroy(store) {
      await store.close();
      await postgres.sql.unsafe(`TRUNCATE "${schema}".users, "${schema}".conversations, "${schema}".sessions, "${schema}".tasks, "${schema}".projects CASCADE`);
    },
  });
}
