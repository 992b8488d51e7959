import type { Config } from "../config/schema.ts";
import type { AppStore } from "../storage/app-store.ts";
import { SqliteAppStore } from "../storage/sqlite/app-store.ts";
import { dataPaths } from "./paths.ts";

/** The app store this config names: SQLite under data_dir on a single node. */
export function openAppStore(config: Config): AppStore {
  return SqliteAppStore.open(dataPaths(config).appDb);
}
