import { afterEach, describe, expect, test } from "bun:test";
import type { SocketSlots } from "../../src/socket-slots/socket-slots.ts";

export interface SocketSlotsSuiteOptions {
  name: string;
  /** Slots of a new, empty deployment whose places live `ttlMs` without a refresh; `node` > 0 = another node of the same one. */
  create(ttlMs: number, node: number): Promise<SocketSlots>;
  /** The time the suite allows on either side of a place's expiry. */
  slackMs: number;
}

const place = (socketId: string, userId = "u1", ip = "10.0.0.1") => ({ socketId, userId, ip });
const TTL_MS = 400;

/** The contract of `SocketSlots`, run against every implementation (two instances are two nodes). */
export function socketSlotsSuite({ name, create, slackMs }: SocketSlotsSuiteOptions) {
  describe(`SocketSlots conformance: ${name}`, () => {
    const opened: SocketSlots[] = [];
    /** Two nodes of one fresh deployment. */
    const nodes = async (ttlMs = 60_000): Promise<[SocketSlots, SocketSlots]> => {
      const made: [SocketSlots, SocketSlots] = [await create(ttlMs, 0), await create(ttlMs, 1)];
      opened.push(...made);
      return made;
    };
    afterEach(async () => void (await Promise.all(opened.splice(0).map((slots) => slots.close()))));

    test("sockets_per_ip counts every node's sockets of an IP; a released place frees one", async () => {
      const [a, b] = await nodes();
      const caps = { perUser: 0, policy: "refuse" as const, perIp: 2 };
      expect(await a.acquire(place("s1", "u1"), caps)).toEqual({ admitted: true, replaced: [] });
      expect(await b.acquire(place("s2", "u2"), caps)).toEqual({ admitted: true, replaced: [] });
      expect(await b.countIp("10.0.0.1")).toBe(2);
      expect(await a.acquire(place("s3", "u3"), caps)).toEqual({ admitted: false, rule: "sockets_per_ip" });
      expect(await a.acquire(place("s4", "u3", "10.0.0.2"), caps)).toEqual({ admitted: true, replaced: [] });
      await b.release(place("s2", "u2"));
      await b.release(place("s2", "u2"));
      expect(await a.countIp("10.0.0.1")).toBe(1);
      expect((await a.acquire(place("s3", "u3"), caps)).admitted).toBe(true);
    });

    test("sockets_per_user under refuse: the one too many is refused, on whichever node", async () => {
      const [a, b] = await nodes();
      const caps = { perUser: 2, policy: "refuse" as const, perIp: 0 };
      expect((await a.acquire(place("s1"), caps)).admitted).toBe(true);
      expect((await b.acquire(place("s2"), caps)).admitted).toBe(true);
      expect(await b.acquire(place("s3"), caps)).toEqual({ admitted: false, rule: "sockets_per_user" });
      expect((await b.acquire(place("s4", "u2"), caps)).admitted).toBe(true);
    });

    test("sockets_per_user under replace: the oldest gives way, and every node hears which it was", async () => {
      const [a, b] = await nodes();
      const heard: string[][] = [];
      a.onReplaced((ids) => heard.push(ids));
      const caps = { perUser: 2, policy: "replace" as const, perIp: 0 };
      await a.acquire(place("s1"), caps);
      await b.acquire(place("s2"), caps);
      expect(await b.acquire(place("s3"), caps)).toEqual({ admitted: true, replaced: ["s1"] });
      while (heard.length === 0) await Bun.sleep(5);
      expect(heard).toEqual([["s1"]]);
      expect(await b.acquire(place("s4"), caps)).toEqual({ admitted: true, replaced: ["s2"] });
    });

    test("a place not refreshed stops counting after its lifetime (its node died); a refreshed one goes on", async () => {
      const [alive, dead] = await nodes(TTL_MS);
      const caps = { perUser: 0, policy: "refuse" as const, perIp: 2 };
      await alive.acquire(place("kept"), caps);
      await dead.acquire(place("lost"), caps);
      await Bun.sleep(TTL_MS / 2);
      await alive.refresh(["kept"]);
      expect(await alive.countIp("10.0.0.1")).toBe(2);
      await Bun.sleep(TTL_MS / 2 + slackMs);
      expect(await alive.countIp("10.0.0.1")).toBe(1);
      expect((await alive.acquire(place("new"), caps)).admitted).toBe(true);
      // A released place is not brought back by a late refresh.
      await alive.release(place("new"));
      await alive.refresh(["new"]);
      expect(await alive.countIp("10.0.0.1")).toBe(1);
    });
  });
}
