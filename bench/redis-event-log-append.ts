/**
 * What numbering and keeping one delta costs: `EventLog.append` on Redis Streams (several nodes)
 * against SQLite (one node), one delta at a time as a reply appends them. Prints p50/p99 in ms.
 *
 *   bun bench/redis-event-log-append.ts [redis://127.0.0.1:6379] [count]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../src/clock.ts";
import type { EventLog } from "../src/events/event-log.ts";
import { RedisEventLog } from "../src/events/redis.ts";
import { SqliteEventLog } from "../src/events/sqlite.ts";
import { createRedisClient, parseRedisUrl } from "../src/redis/connection.ts";
import { openDatabase } from "../src/storage/sqlite/open.ts";

const url = process.argv[2] ?? "redis://127.0.0.1:6379";
const count = Number(process.argv[3] ?? 5000);
const retention = { maxPerConversation: 2000, maxAgeMs: 3_600_000 };

async function measure(label: string, log: EventLog): Promise<void> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await log.append("bench", { type: "message.delta", messageId: "m", text: "token " });
    latencies.push(performance.now() - started);
  }
  await log.drop("bench");
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(3);
  console.log(`${label}: n=${count} p50=${at(0.5)} ms p99=${at(0.99)} ms`);
}

const client = createRedisClient(parseRedisUrl(url));
await measure("redis streams", new RedisEventLog({ client, prefix: `bench:${crypto.randomUUID()}:`, ...retention }));
client.disconnect();
const directory = mkdtempSync(join(tmpdir(), "agentd-bench-events-"));
const sqlite = new SqliteEventLog(openDatabase(join(directory, "events.db")), { ...retention, clock: systemClock });
await measure("sqlite", sqlite);
await sqlite.close();
rmSync(directory, { recursive: true, force: true });
