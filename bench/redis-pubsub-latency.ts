/**
 * Publish-to-delivery latency of RedisPubSub between two instances (two "nodes") on one Redis:
 * small events (a delta) inline, and large events (by reference). Prints p50/p99 in ms.
 *
 *   bun bench/redis-pubsub-latency.ts [redis://127.0.0.1:6379] [count]
 */
import { RedisPubSub } from "../src/pubsub/redis.ts";
import { createRedisClient, parseRedisUrl } from "../src/redis/connection.ts";

const url = process.argv[2] ?? "redis://127.0.0.1:6379";
const count = Number(process.argv[3] ?? 2000);
const target = parseRedisUrl(url);
const prefix = `bench:${crypto.randomUUID()}:`;
const node = () => new RedisPubSub({ connect: () => createRedisClient(target), prefix });
const [publisher, subscriber] = [node(), node()];

async function measure(label: string, payload: string, n: number): Promise<void> {
  const latencies: number[] = [];
  let resolveNext: (() => void) | undefined;
  const unsubscribe = await subscriber.subscribe("latency", (message) => {
    latencies.push(performance.now() - (message as { at: number }).at);
    resolveNext?.();
  });
  for (let index = 0; index < n; index++) {
    const delivered = new Promise<void>((resolve) => (resolveNext = resolve));
    await publisher.publish("latency", { at: performance.now(), payload });
    await delivered;
  }
  await unsubscribe();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(3);
  console.log(`${label}: n=${n} p50=${at(0.5)} ms p99=${at(0.99)} ms`);
}

await measure("delta (20 B, inline)", "x".repeat(20), count);
await measure("tool result (1 MiB, by reference)", "x".repeat(1024 * 1024), Math.max(10, Math.floor(count / 20)));
await Promise.all([publisher.close(), subscriber.close()]);
