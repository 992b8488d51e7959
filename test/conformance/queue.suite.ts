import { afterEach, describe, expect, test } from "bun:test";
import type { QueuedTask, TaskQueue, TaskQueueOptions } from "../../src/queue/queue.ts";
import { FakeClock } from "../helpers/clock.ts";

export interface QueueSuiteOptions {
  name: string;
  /** A fresh, empty queue. */
  create(options: TaskQueueOptions): TaskQueue | Promise<TaskQueue>;
  /** A second queue over the same storage (another node), when the implementation has shared storage. */
  reopen?(options: TaskQueueOptions): TaskQueue | Promise<TaskQueue>;
  /**
   * For a queue whose time rules run on its server's clock (Redis), which a fake clock cannot move:
   * the suite then waits for real, with a short lease, and tests each boundary `slackMs` either side.
   */
  realTime?: { leaseMs: number; slackMs: number };
}

let counter = 0;
const task = (conversationId: string, content = `m${++counter}`): QueuedTask => ({
  taskId: `task-${++counter}`,
  conversationId,
  userId: "u",
  agent: "assistant",
  userMessageId: `u-${counter}`,
  messageId: `a-${counter}`,
  content,
});

/** The contract of `TaskQueue`, run against every implementation. */
export function queueSuite({ name, create, reopen, realTime }: QueueSuiteOptions) {
  const LEASE_MS = realTime?.leaseMs ?? 1_000;
  const SLACK = realTime?.slackMs ?? 0;
  describe(`TaskQueue conformance: ${name}`, () => {
    let clock: FakeClock;
    /** Lets `ms` pass on whichever clock the queue reads. */
    const pass = async (ms: number) => (realTime ? Bun.sleep(ms) : clock.advance(ms));
    const opened: TaskQueue[] = [];
    const open = async (make = create) => {
      const queue = await make({ leaseMs: LEASE_MS, clock });
      opened.push(queue);
      return queue;
    };
    const fresh = async () => {
      clock = new FakeClock();
      return open();
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((queue) => queue.close()));
    });

    test("hands tasks out oldest first, each once, with attempt 1", async () => {
      const queue = await fresh();
      const a = task("c1");
      const b = task("c2");
      await queue.enqueue(a);
      await queue.enqueue(b);
      expect(await queue.depth()).toBe(2);
      expect(await queue.take("n1")).toEqual({ ...a, attempt: 1 });
      expect(await queue.take("n1")).toEqual({ ...b, attempt: 1 });
      expect(await queue.take("n1")).toBeNull();
      expect(await queue.depth()).toBe(0);
    });

    test("enqueue is idempotent by task id, also while the task is leased", async () => {
      const queue = await fresh();
      const a = task("c1");
      expect(await queue.enqueue(a)).toBe(true);
      expect(await queue.enqueue(a)).toBe(false);
      await queue.take("n1");
      expect(await queue.enqueue(a)).toBe(false);
      expect(await queue.take("n1")).toBeNull();
    });

    test("one conversation's tasks run one at a time, in order; other conversations are not held up", async () => {
      const queue = await fresh();
      const [a1, a2, b1] = [task("a"), task("a"), task("b")];
      for (const t of [a1, a2, b1]) await queue.enqueue(t);
      expect((await queue.take("n1"))?.taskId).toBe(a1.taskId);
      expect((await queue.take("n1"))?.taskId).toBe(b1.taskId);
      expect(await queue.take("n1")).toBeNull();
      expect(await queue.ack(a1.taskId, "n1")).toBe(true);
      expect((await queue.take("n1"))?.taskId).toBe(a2.taskId);
    });

    test("a delayed task is not due before its time and holds back its conversation's later tasks", async () => {
      const queue = await fresh();
      const [a1, a2] = [task("a"), task("a")];
      const delay = realTime ? LEASE_MS : 500;
      await queue.enqueue(a1, { delayMs: delay });
      await queue.enqueue(a2);
      expect(await queue.take("n1")).toBeNull();
      await pass(delay + SLACK);
      expect((await queue.take("n1"))?.taskId).toBe(a1.taskId);
    });

    test("retry gives the task back after a delay, in its place, and counts the attempt", async () => {
      const queue = await fresh();
      const [a1, a2] = [task("a"), task("a")];
      await queue.enqueue(a1);
      await queue.enqueue(a2);
      await queue.take("n1");
      expect(await queue.retry(a1.taskId, "n1", 200 + SLACK)).toBe(true);
      expect(await queue.take("n1")).toBeNull();
      await pass(200 + 2 * SLACK);
      expect(await queue.take("n2")).toEqual({ ...a1, attempt: 2 });
      expect(await queue.retry(a1.taskId, "n1", 0)).toBe(false);
    });

    test("an expired lease is reaped and the task runs again, with the next attempt number", async () => {
      const queue = await fresh();
      const a = task("a");
      await queue.enqueue(a);
      await queue.take("dead-node");
      await pass(LEASE_MS - 1 - SLACK);
      expect(await queue.reap()).toBe(0);
      expect(await queue.take("n2")).toBeNull();
      await pass(1 + 2 * SLACK);
      expect(await queue.reap()).toBe(1);
      expect(await queue.take("n2")).toEqual({ ...a, attempt: 2 });
      // The old owner lost it: its ack and renew no longer count.
      expect(await queue.ack(a.taskId, "dead-node")).toBe(false);
      expect(await queue.renew("dead-node", [a.taskId])).toEqual([a.taskId]);
      expect(await queue.ack(a.taskId, "n2")).toBe(true);
    });

    test("renewing keeps a lease alive past its first expiry", async () => {
      const queue = await fresh();
      const a = task("a");
      await queue.enqueue(a);
      await queue.take("n1");
      for (let i = 0; i < 5; i++) {
        await pass(LEASE_MS / 2);
        expect(await queue.renew("n1", [a.taskId])).toEqual([]);
        expect(await queue.reap()).toBe(0);
      }
      expect(await queue.renew("n1", ["unknown"])).toEqual(["unknown"]);
    });

    test("remove takes out a waiting task but not a leased one", async () => {
      const queue = await fresh();
      const [a, b] = [task("a"), task("b")];
      await queue.enqueue(a);
      await queue.enqueue(b);
      await queue.take("n1");
      expect(await queue.remove(a.taskId)).toBe(false);
      expect(await queue.remove(b.taskId)).toBe(true);
      expect(await queue.remove(b.taskId)).toBe(false);
      expect(await queue.depth()).toBe(0);
    });

    test("listeners hear about new and released tasks", async () => {
      const queue = await fresh();
      let calls = 0;
      const stop = queue.onAvailable(() => calls++);
      const a = task("a");
      await queue.enqueue(a);
      await queue.take("n1");
      await queue.ack(a.taskId, "n1");
      await Bun.sleep(10);
      expect(calls).toBeGreaterThanOrEqual(2);
      stop();
      await queue.enqueue(task("b"));
      await Bun.sleep(10);
      const after = calls;
      await queue.enqueue(task("c"));
      await Bun.sleep(10);
      expect(calls).toBe(after);
    });

    if (reopen) {
      test("tasks and leases survive reopening: a dead node's task is reaped by another", async () => {
        const first = await fresh();
        const a = task("a");
        const b = task("b");
        await first.enqueue(a);
        await first.enqueue(b);
        await first.take("dead-node");
        const second = await open(reopen);
        expect((await second.take("n2"))?.taskId).toBe(b.taskId);
        expect(await second.ack(b.taskId, "n2")).toBe(true);
        await pass(LEASE_MS + SLACK);
        expect(await second.reap()).toBe(1);
        expect(await second.take("n2")).toEqual({ ...a, attempt: 2 });
      });
    }
  });
}
