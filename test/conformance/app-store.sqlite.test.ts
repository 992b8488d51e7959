import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteAppStore } from "../../src/storage/sqlite/app-store.ts";
import { appStoreSuite } from "./app-store.suite.ts";

const directories = new Map<SqliteAppStore, string>();

appStoreSuite({
  name: "sqlite",
  async create() {
    const directory = mkdtempSync(join(tmpdir(), "agentd-app-store-"));
    const store = SqliteAppStore.open(join(directory, "agentd.db"));
    directories.set(store, directory);
    return store;
  },
  async destroy(store) {
    await store.close();
    rmSync(directories.get(store)!, { recursive: true, force: true });
  },
});
