import { afterEach, describe, expect, test } from "bun:test";
import type { EventLog, EventLogOptions } from "../../src/events/event-log.ts";
import type { UnsequencedEvent } from "../../src/protocol/index.ts";
import { FakeClock } from "../helpers/clock.ts";

export interface EventLogSuiteOptions {
  name: string;
  create(options: EventLogOptions): EventLog | Promise<EventLog>;
  /** The same storage opened again (a restart), when the implementation is durable. */
  reopen?(options: EventLogOptions): EventLog | Promise<EventLog>;
  /**
   * For a log whose age rule runs on its server's clock (Redis), which a fake clock cannot move:
   * the suite waits for real instead, with `maxAgeMs` as the age limit, and tests the boundary
   * `slackMs` either side.
   */
  realTime?: { maxAgeMs: number; slackMs: number };
}

const delta = (text: string, messageId = "m1"): UnsequencedEvent => ({ type: "message.delta", messageId, text });
const end = (messageId = "m1"): UnsequencedEvent => ({ type: "message.end", messageId, reason: "completed" });

/** The contract of `EventLog`, run against every implementation. */
export function eventLogSuite({ name, create, reopen, realTime }: EventLogSuiteOptions) {
  const SLACK = realTime?.slackMs ?? 0;
  describe(`EventLog conformance: ${name}`, () => {
    let clock: FakeClock;
    /** Lets `ms` pass on whichever clock the log reads. */
    const pass = async (ms: number) => (realTime ? Bun.sleep(ms) : clock.advance(ms));
    const opened: EventLog[] = [];
    const open = async (options: Partial<EventLogOptions> = {}, make = create) => {
      const log = await make({ maxPerConversation: 100, maxAgeMs: 60_000, clock, ...options });
      opened.push(log);
      return log;
    };
    const fresh = (options: Partial<EventLogOptions> = {}) => {
      clock = new FakeClock();
      return open(options);
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((log) => log.close()));
    });

    test("numbers each conversation's events from 1 and keeps them for replay", async () => {
      const log = await fresh();
      expect(await log.lastSeq("c1")).toBe(0);
      expect(await log.readAfter("c1", 0)).toEqual([]);
      expect(await log.append("c1", delta("a"))).toEqual({ type: "message.delta", messageId: "m1", text: "a", seq: 1 });
      await log.append("c1", delta("b"));
      expect((await log.append("c2", delta("x"))).seq).toBe(1);
      await log.append("c1", end());
      expect(await log.lastSeq("c1")).toBe(3);
      expect(await log.settledSeq("c1")).toBe(3);
      expect(await log.settledSeq("c2")).toBe(0);
      expect((await log.readAfter("c1", 1))?.map((e) => e.seq)).toEqual([2, 3]);
      expect(await log.readAfter("c1", 3)).toEqual([]);
    });

    test("a position beyond the newest event cannot be resumed", async () => {
      const log = await fresh();
      await log.append("c1", delta("a"));
      expect(await log.readAfter("c1", 2)).toBeNull();
    });

    test("the epoch of a conversation is stable while the log lives", async () => {
      const log = await fresh();
      const epoch = await log.epoch("c1");
      await log.append("c1", delta("a"));
      expect(await log.epoch("c1")).toBe(epoch);
    });

    test("keeps at most maxPerConversation events of ended replies; older positions cannot be resumed", async () => {
      const log = await fresh({ maxPerConversation: 3 });
      for (let i = 0; i < 4; i++) await log.append("c1", delta(`t${i}`));
      await log.append("c1", end()); // seq 5
      expect((await log.readAfter("c1", 2))?.map((e) => e.seq)).toEqual([3, 4, 5]);
      expect(await log.readAfter("c1", 1)).toBeNull();
    });

    test("never drops events of a reply still running, however many", async () => {
      const maxAgeMs = realTime?.maxAgeMs ?? 60_000;
      const log = await fresh({ maxPerConversation: 2, maxAgeMs });
      await log.append("c1", delta("old", "m0"));
      await log.append("c1", end("m0")); // seq 2
      for (let i = 0; i < 10; i++) await log.append("c1", delta(`t${i}`));
      await pass(2 * maxAgeMs);
      await log.prune();
      const replay = await log.readAfter("c1", 2);
      expect(replay?.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    });

    test("prune drops ended replies older than maxAgeMs", async () => {
      const maxAgeMs = realTime?.maxAgeMs ?? 1_000;
      const log = await fresh({ maxAgeMs });
      await log.append("c1", delta("a"));
      await log.append("c1", end());
      await pass(maxAgeMs - 1 - SLACK);
      await log.prune();
      expect((await log.readAfter("c1", 0))?.length).toBe(2);
      await pass(1 + 2 * SLACK);
      await log.prune();
      expect(await log.readAfter("c1", 0)).toBeNull();
      expect(await log.readAfter("c1", 2)).toEqual([]);
      expect((await log.append("c1", delta("next"))).seq).toBe(3);
    });

    test("drop forgets a conversation", async () => {
      const log = await fresh();
      await log.append("c1", delta("a"));
      await log.drop("c1");
      expect(await log.lastSeq("c1")).toBe(0);
      expect(await log.readAfter("c1", 0)).toEqual([]);
    });

    if (reopen) {
      test("events, seqs and the epoch survive a restart", async () => {
        const first = await fresh();
        await first.append("c1", delta("a"));
        await first.append("c1", delta("b"));
        const epoch = await first.epoch("c1");
        await first.close();
        opened.splice(opened.indexOf(first), 1);
        const second = await open({}, reopen);
        expect(await second.epoch("c1")).toBe(epoch);
        expect((await second.readAfter("c1", 1))?.map((e) => e.seq)).toEqual([2]);
        expect((await second.append("c1", end())).seq).toBe(3);
      });

      test("opened again while the first is still running (a crash), no seq is handed out twice under one epoch", async () => {
        const first = await fresh();
        await first.append("c1", delta("a"));
        await first.append("c1", delta("b"));
        const epoch = await first.epoch("c1");
        const second = await open({}, reopen);
        const next = await second.append("c1", delta("c"));
        // A new epoch would be allowed (clients then reload); every durable log here keeps it, so
        // numbering must go on past every seq handed out, and a client resumes from any of them.
        expect(await second.epoch("c1")).toBe(epoch);
        expect(next.seq).toBeGreaterThan(2);
        expect(await second.readAfter("c1", 2)).toEqual([next]);
        expect(await second.readAfter("c1", 1)).toContainEqual(next);
      });
    }
  });
}
