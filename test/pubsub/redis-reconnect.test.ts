import { afterAll, expect, test } from "bun:test";
import { Redis } from "ioredis";
import { RedisPubSub } from "../../src/pubsub/redis.ts";
import { startPrivateRedis } from "../helpers/private-redis.ts";
import { requireRedis } from "../helpers/services.ts";

// Redis restarts under two nodes (a private redis-server the test kills and starts again): while it is
// gone, ping fails (so /readyz says not ready) and a publish is given up and reported instead of hanging; once it is back,
// both nodes reconnect by themselves and the existing subscriptions deliver again.
const shared = await requireRedis(); // the same skip/fail rule as every Redis suite
afterAll(() => shared?.cleanup());

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

test.skipIf(!shared)("after a Redis restart both nodes reconnect and re-subscribe on their own", async () => {
  const server = (await startPrivateRedis())!;
  // As the composition root configures them: a command gives up after 3 reconnect attempts.
  const failures: unknown[] = [];
  const make = () =>
    new RedisPubSub({ connect: () => new Redis({ path: server.socketPath, maxRetriesPerRequest: 3 }), prefix: "restart:", onError: (error) => failures.push(error) });
  const [a, b] = [make(), make()];
  try {
    const seen: unknown[] = [];
    let resumed = 0;
    b.onResumed(() => resumed++);
    await b.subscribe("conversation:1", (message) => seen.push(message));
    await a.publish("conversation:1", "before");
    await until("the first message", () => seen.length === 1);

    await server.kill();
    await until("ping to fail", async () => b.ping().then(() => false, () => true));
    // Lost, reported, and not a rejection that would stop the publisher's next events.
    await a.publish("conversation:1", "while down");
    expect(failures).toHaveLength(1);

    await server.start();
    // ioredis waits up to 2 s between reconnect attempts.
    await until("both nodes ready again", async () => (await Promise.all([a.ping(), b.ping()]).then(() => true, () => false)), 8000);
    await a.publish("conversation:1", "after");
    await until("the message after the restart", () => seen.length === 2);
    expect(seen).toEqual(["before", "after"]);
    // Told once that the subscriptions are back (its sockets' clients then resume what they missed).
    expect(resumed).toBe(1);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await server.stop();
  }
}, 20_000);
