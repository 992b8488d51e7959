import { join, resolve } from "node:path";
import type { Config } from "../config/schema.ts";

/** Where agentd keeps its files under `data_dir`. */
export const dataPaths = (config: Config) => {
  const dir = resolve(config.data_dir);
  return {
    dir,
    appDb: join(dir, "agentd.db"),
    checkpoints: join(dir, "checkpoints.db"),
    queue: join(dir, "queue.db"),
    events: join(dir, "events.db"),
  };
};
