import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "../checkpoint/sqlite-saver.ts";
import type { Config } from "../config/schema.ts";
import { postgresOptions } from "./app-store.ts";
import { dataPaths } from "./paths.ts";

export interface OpenCheckpointer {
  saver: BaseCheckpointSaver;
  /** Throws when the checkpoint storage cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The LangGraph checkpointer this config names, set up and ready: Postgres when `postgres.url` is
 * set (never a silent fallback to anything else), else our SQLite saver under data_dir.
 */
export async function openCheckpointer(config: Config): Promise<OpenCheckpointer> {
  const postgres = postgresOptions(config);
  if (!postgres) {
    const saver = SqliteSaver.fromPath(dataPaths(config).checkpoints);
    saver.setup();
    return { saver, ping: async () => void saver.db.query("SELECT 1").get(), close: async () => saver.db.close() };
  }
  const [{ openPostgresSaver }, { storageUnavailable }] = await Promise.all([
    import("../checkpoint/postgres-saver.ts"),
    import("../storage/postgres/connect.ts"),
  ]);
  const saver = await openPostgresSaver(postgres).catch((error: unknown) => {
    throw storageUnavailable(error, postgres.url);
  });
  return { saver, ping: () => saver.ping(), close: () => saver.end() };
}
