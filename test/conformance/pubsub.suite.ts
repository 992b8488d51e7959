/**
 * The PubSub contract, run against every implementation. `create()` makes one node's instance;
 * with `multiNode`, instances made by the same suite share the backend (as nodes on one Redis do),
 * and the cross-node specs run too.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { PubSub } from "../../src/pubsub/pubsub.ts";

export interface PubSubSuiteOptions<P extends PubSub> {
  name: string;
  create(): Promise<P>;
  destroy(pubsub: P): Promise<void>;
  /** Separate instances reach each other (a shared server): run the two-node specs. */
  multiNode: boolean;
}

/** Waits until `condition()` holds, failing after `timeoutMs` with `what`. */
async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(1);
  }
}

/** Publishes a marker and waits for it: everything published before it on this channel has been delivered. */
async function flush(from: PubSub, channel: string, seen: unknown[]): Promise<void> {
  const marker = { flush: crypto.randomUUID() };
  await from.publish(channel, marker);
  await until(() => seen.some((message) => JSON.stringify(message) === JSON.stringify(marker)), `the flush marker on ${channel}`);
  seen.splice(seen.findIndex((message) => JSON.stringify(message) === JSON.stringify(marker)), 1);
}

const unique = (name: string) => `${name}:${crypto.randomUUID()}`;

export function pubsubSuite<P extends PubSub>(options: PubSubSuiteOptions<P>): void {
  describe(`PubSub conformance: ${options.name}`, () => {
    const open: P[] = [];
    const node = async () => {
      const instance = await options.create();
      open.push(instance);
      return instance;
    };
    afterEach(async () => {
      for (const instance of open.splice(0)) await options.destroy(instance);
    });

    test("a subscriber receives what is published after subscribe resolves, in order, as equal JSON values", async () => {
      const pubsub = await node();
      const channel = unique("order");
      const seen: unknown[] = [];
      await pubsub.subscribe(channel, (message) => seen.push(message));
      const sent = [
        ...Array.from({ length: 500 }, (_, seq) => ({ seq, text: `token ${seq}` })),
        { unicode: "héllo 👋 世界", nested: { list: [1, null, true, "x"] } },
        "a string",
        42,
        null,
      ];
      await Promise.all(sent.map((message) => pubsub.publish(channel, message)));
      await until(() => seen.length === sent.length, "every message");
      expect(seen).toEqual(sent);
    });

    test("publishing without subscribers is fine; a channel's messages reach only its subscribers", async () => {
      const pubsub = await node();
      const [a, b] = [unique("a"), unique("b")];
      await pubsub.publish(unique("nobody"), { lost: true });
      const seenA: unknown[] = [];
      const seenB: unknown[] = [];
      await pubsub.subscribe(a, (message) => seenA.push(message));
      await pubsub.subscribe(b, (message) => seenB.push(message));
      await pubsub.publish(a, "for a");
      await pubsub.publish(b, "for b");
      await flush(pubsub, a, seenA);
      await flush(pubsub, b, seenB);
      expect(seenA).toEqual(["for a"]);
      expect(seenB).toEqual(["for b"]);
    });

    test("every subscriber of a channel gets each message; after unsubscribe a handler gets nothing more", async () => {
      const pubsub = await node();
      const channel = unique("fanout");
      const first: unknown[] = [];
      const second: unknown[] = [];
      const unsubscribeFirst = await pubsub.subscribe(channel, (message) => first.push(message));
      const unsubscribeSecond = await pubsub.subscribe(channel, (message) => second.push(message));
      await pubsub.publish(channel, 1);
      await until(() => first.length === 1 && second.length === 1, "both subscribers");
      await unsubscribeFirst();
      await unsubscribeFirst(); // twice is harmless
      await pubsub.publish(channel, 2);
      await flush(pubsub, channel, second);
      expect(first).toEqual([1]);
      expect(second).toEqual([1, 2]);

      await unsubscribeSecond();
      const third: unknown[] = [];
      await pubsub.subscribe(channel, (message) => third.push(message));
      await pubsub.publish(channel, 3);
      await flush(pubsub, channel, third);
      expect(second).toEqual([1, 2]);
      expect(third).toEqual([3]);
    });

    test("subscribe, unsubscribe and subscribe again at once leaves the channel subscribed", async () => {
      const pubsub = await node();
      const channel = unique("churn");
      const seen: unknown[] = [];
      const pending = pubsub.subscribe(channel, () => {});
      const unsubscribe = await pending;
      const [, again] = await Promise.all([unsubscribe(), pubsub.subscribe(channel, (message) => seen.push(message))]);
      await pubsub.publish(channel, "still here");
      await until(() => seen.length === 1, "the message after churn");
      expect(seen).toEqual(["still here"]);
      await again();
    });

    test("a handler that throws does not stop the others", async () => {
      const pubsub = await node();
      const channel = unique("throws");
      const seen: unknown[] = [];
      const originalError = console.error;
      console.error = () => {};
      try {
        await pubsub.subscribe(channel, () => {
          throw new Error("handler bug");
        });
        await pubsub.subscribe(channel, (message) => seen.push(message));
        await pubsub.publish(channel, "a");
        await pubsub.publish(channel, "b");
        await until(() => seen.length === 2, "both messages");
      } finally {
        console.error = originalError;
      }
      expect(seen).toEqual(["a", "b"]);
    });

    test("many channels at once, each in its own order", async () => {
      const pubsub = await node();
      const channels = Array.from({ length: 200 }, (_, index) => unique(`many-${index}`));
      const seen = new Map(channels.map((channel) => [channel, [] as unknown[]]));
      await Promise.all(channels.map((channel) => pubsub.subscribe(channel, (message) => seen.get(channel)!.push(message))));
      for (let round = 0; round < 5; round++) await Promise.all(channels.map((channel) => pubsub.publish(channel, { channel, round })));
      await until(() => [...seen.values()].every((list) => list.length === 5), "5 messages on each of 200 channels");
      for (const channel of channels) expect(seen.get(channel)).toEqual([0, 1, 2, 3, 4].map((round) => ({ channel, round })));
    });

    if (options.multiNode) {
      test("two nodes: a message published on one reaches subscribers on both, in order", async () => {
        const [a, b] = [await node(), await node()];
        const channel = unique("cross");
        const onA: unknown[] = [];
        const onB: unknown[] = [];
        await a.subscribe(channel, (message) => onA.push(message));
        const unsubscribeB = await b.subscribe(channel, (message) => onB.push(message));
        for (let seq = 0; seq < 100; seq++) await a.publish(channel, { seq });
        await until(() => onA.length === 100 && onB.length === 100, "100 messages on both nodes");
        expect(onB).toEqual(onA);
        expect(onB.map((message) => (message as { seq: number }).seq)).toEqual([...Array(100).keys()]);

        await unsubscribeB();
        await b.publish(channel, "from b");
        await until(() => onA.length === 101, "b's message on a");
        expect(onA.at(-1)).toBe("from b");
        expect(onB).toHaveLength(100);
      });

      test("two nodes: closing one leaves the other serving", async () => {
        const [a, b] = [await node(), await node()];
        const channel = unique("close");
        const onA: unknown[] = [];
        await a.subscribe(channel, (message) => onA.push(message));
        await b.subscribe(channel, () => {});
        await options.destroy(open.splice(open.indexOf(b), 1)[0]!);
        const c = await node();
        await c.publish(channel, "after b left");
        await until(() => onA.length === 1, "the message on a");
        expect(onA).toEqual(["after b left"]);
      });
    }
  });
}
