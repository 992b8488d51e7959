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
import { BACKGROUND_WAL_PAGES, WalCheckpoints } from "../storage/sqlite/wal-checkpoints.ts";
import type { AppStore } from "../storage/app-store.ts";
import { openAppStore } from "./app-store.ts";
import { openCheckpointer, type OpenCheckpointer } from "./checkpointer.ts";
import { workerThreads } from "./worker-threads.ts";
import { dataPaths } from "./paths.ts";
import { walThreadUrl } from "./worker-url.ts";

/** How often the WAL thread checkpoints the socket thread's SQLite files. */
const WAL_CHECKPOINT_MS = 200;

/**
 * The SQLite files this node's socket thread writes, given which parts live on Redis/Postgres
 * instead; the WAL thread checkpoints them, and they are opened with `BACKGROUND_WAL_PAGES`. The
 * LangGraph checkpoints are among them when the agents run on the socket thread
 * (`workers.threads: 0`); worker threads checkpoint that file themselves, off the socket thread.
 */
export function socketThreadSqliteFiles(config: Config, elsewhere: { events: boolean; queue: boolean }): string[] {
  const paths = dataPaths(config);
  return [
    ...(config.postgres.url ? [] : [paths.appDb]),
    ...(checkpointsOnWalThread(config) ? [paths.checkpoints] : []),
    ...(elsewhere.events || config.events.backend !== "sqlite" ? [] : [paths.events]),
    ...(elsewhere.queue || config.queue.backend !== "sqlite" ? [] : [paths.queue]),
  ];
}

/** Whether the WAL thread checkpoints the LangGraph checkpoints' SQLite file: when the agents run on the socket thread. */
const checkpointsOnWalThread = (config: Config): boolean => !config.postgres.url && workerThreads(config) === 0;

/** How the socket thread's connections to the checkpoints' SQLite file are opened (`openCheckpointer`'s `sqlite`). */
export const socketThreadCheckpointsSqlite = (config: Config): { autoCheckpointPages?: number } =>
  checkpointsOnWalThread(config) ? { autoCheckpointPages: BACKGROUND_WAL_PAGES } : {};

/** The node's own checkpointer (history reads, deletes): on SQLite, opened as the socket thread's connections are. */
export const openNodeCheckpointer = (config: Config): Promise<OpenCheckpointer> => openCheckpointer(config, socketThreadCheckpointsSqlite(config));

/** The app store: on SQLite, opened to leave its checkpoints to the WAL thread. */
export const openNodeAppStore = (config: Config): Promise<AppStore> => openAppStore(config, { autoCheckpointPages: BACKGROUND_WAL_PAGES });

/** Starts the WAL thread on the socket thread's SQLite files (none: no thread). */
export async function startWalThread(config: Config, elsewhere: { events: boolean; queue: boolean }, log: Logger): Promise<{ stop(): Promise<void> }> {
  const files = socketThreadSqliteFiles(config, elsewhere);
  if (files.length === 0) return { stop: async () => {} };
  const thread = await WalCheckpoints.start(walThreadUrl(), files, WAL_CHECKPOINT_MS, log);
  log.debug("WAL checkpoint thread started", { files, everyMs: WAL_CHECKPOINT_MS });
  return thread;
}

/** A single node's event log (`events.backend`): SQLite under data_dir (checkpointed by the WAL thread), or memory. */
export function createEventLog(config: Config, clock: Clock, log: Logger): EventLog {
  const options = { maxPerConversation: config.events.max_per_conversation, maxAgeMs: config.events.max_age_ms, clock };
  if (config.events.backend === "memory") return new MemoryEventLog(options);
  return new SqliteEventLog(openDatabase(dataPaths(config).events, { autoCheckpointPages: BACKGROUND_WAL_PAGES }), options, {
    onWriteError: (error) => log.error("event log write failed; retrying", { error }),
  });
}

/** A single node's task queue (`queue.backend`): SQLite under data_dir (checkpointed by the WAL thread), or memory. */
export function createQueue(config: Config, clock: Clock): TaskQueue {
  const options = { leaseMs: config.queue.lease_ms, clock };
  if (config.queue.backend === "memory") return new MemoryTaskQueue(options);
  return new SqliteTaskQueue(openDatabase(dataPaths(config).queue, { autoCheckpointPages: BACKGROUND_WAL_PAGES }), options);
}
