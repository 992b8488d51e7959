import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryCircuitBreakers } from "../../src/breaker/memory.ts";
import { systemClock } from "../../src/clock.ts";
import { MemoryEventLog } from "../../src/events/memory.ts";
import { silentLogger } from "../../src/log.ts";
import { MemoryPubSub } from "../../src/pubsub/memory.ts";
import { MemoryTaskQueue } from "../../src/queue/memory.ts";
import type { QueuedTask } from "../../src/queue/queue.ts";
import type { AppStore } from "../../src/storage/app-store.ts";
import { SqliteAppStore } from "../../src/storage/sqlite/app-store.ts";
import { Dispatcher } from "../../src/work/dispatcher.ts";
import type { TaskExecutor } from "../../src/work/executor.ts";
import { recordTaskUsage } from "../../src/work/task-end-observer.ts";
import { until } from "../helpers/until.ts";

const dir = mkdtempSync(join(tmpdir(), "agentd-task-usage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Answers every task with one delta and an end that carries the provider's token usage. */
const answering: TaskExecutor = {
  async run(_task, emit) {
    emit({ kind: "delta", text: "hi" });
    emit({ kind: "end", reason: "completed", usage: { inputTokens: 7, outputTokens: 3, totalTokens: 10 } });
  },
  async close() {},
};

test("a reply's token usage is stored with its final state, before the task leaves the queue", async () => {
  const store: AppStore = SqliteAppStore.open(join(dir, "agentd.db"));
  const user = await store.users.create({ username: "u", passwordHash: "h", role: "user" });
  const conversation = await store.conversations.create({ ownerId: user.id, title: "t", agent: "assistant" });
  const { task } = await store.tasks.createOrGet({
    id: Bun.randomUUIDv7(),
    conversationId: conversation.id,
    userId: user.id,
    clientMessageId: "m1",
    userMessageId: Bun.randomUUIDv7(),
    messageId: Bun.randomUUIDv7(),
    kind: "message",
    content: "hello",
  });
  const today = new Date().toISOString().slice(0, 10);
  // What the store held at the moment the task was acked: a node that dies right after the ack
  // must not have lost the usage (the task is never run again to record it).
  const atAck: { state?: string; outputTokens?: number }[] = [];
  class WatchedQueue extends MemoryTaskQueue {
    override async ack(taskId: string, owner: string): Promise<boolean> {
      const usage = await store.usage.dailyByUser({ from: today, to: today });
      atAck.push({ state: (await store.tasks.findById(taskId))?.state, outputTokens: usage[0]?.outputTokens });
      return super.ack(taskId, owner);
    }
  }
  const queue = new WatchedQueue({ leaseMs: 60_000, clock: systemClock });
  const dispatcher = new Dispatcher({
    queue,
    executor: answering,
    tasks: store.tasks,
    events: new MemoryEventLog({ maxPerConversation: 100, maxAgeMs: 60_000, clock: systemClock }),
    pubsub: new MemoryPubSub(),
    breakers: new MemoryCircuitBreakers({ failures: 5, openMs: 30_000, successes: 1 }, systemClock),
    clock: systemClock,
    owner: "node-1",
    concurrency: 4,
    tasksPerMinute: 600,
    heartbeatMs: 60_000,
    reaperMs: 60_000,
    maxRetries: 0,
    retryBaseMs: 100,
    softTimeoutMs: 10_000,
    hardTimeoutMs: 20_000,
    hasFallback: false,
    recordUsage: recordTaskUsage({ usage: store.usage, log: silentLogger }),
  });
  await dispatcher.start();
  const queued: QueuedTask = { taskId: task.id, conversationId: conversation.id, userId: user.id, agent: "assistant", userMessageId: task.userMessageId, messageId: task.messageId, content: "hello" };
  await queue.enqueue(queued);
  await until(async () => atAck.length === 1, "the task acked");
  dispatcher.stop();
  expect(atAck).toEqual([{ state: "succeeded", outputTokens: 3 }]);
  await store.close();
});
