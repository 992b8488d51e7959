import type { Config } from "../config/schema.ts";

/**
 * One worker thread per core but one: the main thread (sockets, event log, queue) keeps a core. On
 * 2 cores, 1 thread used 20% less CPU than 2 and cut the first-delta p99 overhead from 69 to 37 ms
 * at 100 chats (BENCHMARKS.md, "threads and compression"); each thread JITs and heaps LangChain anew.
 */
export const autoThreads = (cores: number): number => Math.max(0, cores - 1);

/** How many worker threads `workers.threads` asks for on this machine (0: agents run on the main thread). */
export const workerThreads = (config: Config): number =>
  config.workers.threads === "auto" ? autoThreads(navigator.hardwareConcurrency) : config.workers.threads;
