import type { Clock } from "../clock.ts";
import type { Config } from "../config/schema.ts";
import type { EventLog } from "../events/event-log.ts";
import { MemoryEventLog } from "../events/memory.ts";
import { SqliteEventLog } from "../events/sqlite.ts";
import type { Logger } from "../log.ts";
import { MemoryTaskQueue } from "../queue/memory.ts";
import type { TaskQueue } from "../queue/queue.ts";
import { SqliteTaskQueue } from "../queue/sqlite.ts";
import { openDatabase } from "../storage/sqlite/open.ts";
import { dataPaths } from "./paths.ts";

/** A single node's event log (`events.backend`): SQLite under data_dir, or memory. */
export function createEventLog(config: Config, clock: Clock, log: Logger): EventLog {
  const options = { maxPerConversation: config.events.max_per_conversation, maxAgeMs: config.events.max_age_ms, clock };
  if (config.events.backend === "memory") return new MemoryEventLog(options);
  return new SqliteEventLog(openDatabase(dataPaths(config).events), options, {
    onWriteError: (error) => log.error("event log write failed; retrying", { error }),
  });
}

/** A single node's task queue (`queue.backend`): SQLite under data_dir, or memory. */
export function createQueue(config: Config, clock: Clock): TaskQueue {
  const options = { leaseMs: config.queue.lease_ms, clock };
  return config.queue.backend === "memory" ? new MemoryTaskQueue(options) : new SqliteTaskQueue(openDatabase(dataPaths(config).queue), options);
}
