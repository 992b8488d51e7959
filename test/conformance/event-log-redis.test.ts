import { afterAll, describe, expect, test } from "bun:test";
import { RedisEventLog } from "../../src/events/redis.ts";
import { createRedisClient, parseRedisUrl, type RedisClient } from "../../src/redis/connection.ts";
import { requireRedis } from "../helpers/services.ts";
import { eventLogSuite } from "./event-log.suite.ts";

const redis = await requireRedis();
const clients: RedisClient[] = [];
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.cleanup();
});

/** One node's log on the shared Redis: its own connection, under `prefix`. */
function nodeLog(prefix: string, options: { maxPerConversation: number; maxAgeMs: number }) {
  const client = createRedisClient(parseRedisUrl(redis!.url));
  clients.push(client);
  return new RedisEventLog({ client, prefix, ...options });
}

if (redis) {
  let prefix = "";
  // The age limit runs on Redis's clock (key expiry): short real windows, the boundary tested 60 ms either side.
  eventLogSuite({
    name: "redis",
    create: (options) => nodeLog((prefix = redis.newPrefix()), options),
    reopen: (options) => nodeLog(prefix, options),
    realTime: { maxAgeMs: 300, slackMs: 60 },
  });
}

describe.skipIf(!redis)("Redis event log across nodes", () => {
  test("what one node appends, another reads, in one sequence and one epoch", async () => {
    const prefix = redis!.newPrefix();
    const [a, b] = [nodeLog(prefix, { maxPerConversation: 100, maxAgeMs: 60_000 }), nodeLog(prefix, { maxPerConversation: 100, maxAgeMs: 60_000 })];
    const [epochA, epochB] = await Promise.all([a.epoch("c"), b.epoch("c")]);
    expect(epochA).toBe(epochB);
    // Interleaved appends from two nodes: one gap-free numbering.
    const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append("c", { type: "message.delta", messageId: "m", text: `${i}` })));
    expect(appended.map((event) => event.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const read = await b.readAfter("c", 0);
    expect(read?.map((event) => event.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await a.lastSeq("c")).toBe(20);
  });

  test("a stream is trimmed to maxPerConversation on the server, keeping the reply still running", async () => {
    const prefix = redis!.newPrefix();
    const log = nodeLog(prefix, { maxPerConversation: 3, maxAgeMs: 60_000 });
    for (let i = 0; i < 10; i++) await log.append("c", { type: "message.delta", messageId: "m", text: `${i}` });
    await log.append("c", { type: "message.end", messageId: "m", reason: "completed" });
    expect(await redis!.client.xlen(`${prefix}events:{c}:log`)).toBe(3);
    // Ended: the stream expires with the age limit; while a reply runs, it does not.
    expect(await redis!.client.pttl(`${prefix}events:{c}:log`)).toBeGreaterThan(50_000);
    await log.append("c", { type: "message.delta", messageId: "m2", text: "next" });
    expect(await redis!.client.pttl(`${prefix}events:{c}:log`)).toBe(-1);
  });
});
