/**
 * The AppStore contract, run against every implementation (SQLite, Postgres). Each test gets a
 * fresh store from `create()` and hands it back to `destroy()`.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { AppError } from "../../src/errors.ts";
import type { AppStore } from "../../src/storage/app-store.ts";
import type { ProjectFields } from "../../src/storage/types.ts";

export interface AppStoreSuiteOptions<S extends AppStore> {
  name: string;
  create(): Promise<S>;
  destroy(store: S): Promise<void>;
}

const project = (title: string, extra: Partial<ProjectFields> = {}): ProjectFields => ({
  title,
  description: `about ${title}`,
  type: "app",
  tags: ["a", "b"],
  links: ["https://example.test/x"],
  showcase: false,
  ...extra,
});

/** A millisecond passes, so the next timestamp the store takes is strictly later. */
const nextMillisecond = () => Bun.sleep(2);

export function appStoreSuite<S extends AppStore>(options: AppStoreSuiteOptions<S>): void {
  describe(`AppStore conformance: ${options.name}`, () => {
    let store: S;
    beforeEach(async () => {
      store = await options.create();
    });
    afterEach(async () => {
      await options.destroy(store);
    });

    const addUser = (username: string) => store.users.create({ username, passwordHash: `hash-of-${username}`, role: "user" });
    const newTask = (conversationId: string, clientMessageId: string, userId = "u1") =>
      ({
        id: Bun.randomUUIDv7(),
        conversationId,
        userId,
        clientMessageId,
        userMessageId: Bun.randomUUIDv7(),
        messageId: Bun.randomUUIDv7(),
        kind: "message",
        content: `content ${clientMessageId}`,
      }) satisfies Parameters<AppStore["tasks"]["createOrGet"]>[0];

    describe("users", () => {
      test("create, find by id and by username regardless of case", async () => {
        const alice = await store.users.create({ username: "Alice", passwordHash: "h1", role: "admin" });
        expect(alice).toMatchObject({ username: "Alice", passwordHash: "h1", role: "admin", active: true });
        expect(Number.isNaN(Date.parse(alice.createdAt))).toBe(false);
        expect(await store.users.findById(alice.id)).toEqual(alice);
        expect(await store.users.findByUsername("alice")).toEqual(alice);
        expect(await store.users.findByUsername("ALICE")).toEqual(alice);
        expect(await store.users.findByUsername("bob")).toBeNull();
        expect(await store.users.findById("no-such-id")).toBeNull();
      });

      test("a taken username, in any case, is a conflict", async () => {
        await addUser("carol");
        const attempt = store.users.create({ username: "CAROL", passwordHash: "x", role: "user" });
        await expect(attempt).rejects.toBeInstanceOf(AppError);
        await expect(attempt).rejects.toMatchObject({ code: "conflict" });
        expect(await store.users.list()).toHaveLength(1);
      });

      test("list is ordered by username ignoring case; active flag and password hash change", async () => {
        for (const name of ["delta", "Bravo", "alpha", "Charlie"]) await addUser(name);
        expect((await store.users.list()).map((user) => user.username)).toEqual(["alpha", "Bravo", "Charlie", "delta"]);
        const bravo = (await store.users.findByUsername("bravo"))!;
        await store.users.setActive(bravo.id, false);
        await store.users.setPasswordHash(bravo.id, "new-hash");
        expect(await store.users.findById(bravo.id)).toMatchObject({ active: false, passwordHash: "new-hash" });
        await store.users.setActive(bravo.id, true);
        expect((await store.users.findById(bravo.id))?.active).toBe(true);
      });
    });

    describe("conversations", () => {
      test("create and find; a missing id is null", async () => {
        const owner = await addUser("owner");
        const created = await store.conversations.create({ ownerId: owner.id, title: "First", agent: "assistant" });
        expect(created).toMatchObject({ ownerId: owner.id, title: "First", agent: "assistant" });
        expect(created.createdAt).toBe(created.updatedAt);
        expect(await store.conversations.findById(created.id)).toEqual(created);
        expect(await store.conversations.findById("missing")).toBeNull();
      });

      test("listByOwner pages most recently updated first, every conversation exactly once, only the owner's", async () => {
        const owner = await addUser("pager");
        const other = await addUser("other");
        const ids: string[] = [];
        for (let index = 0; index < 7; index++) {
          ids.push((await store.conversations.create({ ownerId: owner.id, title: `c${index}`, agent: "assistant" })).id);
          await store.conversations.create({ ownerId: other.id, title: `x${index}`, agent: "assistant" });
        }
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.conversations.listByOwner(owner.id, { limit: 3, cursor });
          expect(page.items.length).toBeLessThanOrEqual(3);
          seen.push(...page.items.map((item) => item.id));
          cursor = page.nextCursor ?? undefined;
          pages += 1;
        } while (cursor);
        expect(pages).toBe(3);
        // Conversations created in the same millisecond tie on updatedAt; the id (time-ordered) breaks the tie.
        expect(seen).toEqual(ids.toReversed());
        const exact = await store.conversations.listByOwner(owner.id, { limit: 7 });
        expect(exact.items).toHaveLength(7);
        expect(exact.nextCursor).toBeNull();
      });

      test("touch and rename move a conversation to the top; rename changes the title", async () => {
        const owner = await addUser("toucher");
        const first = await store.conversations.create({ ownerId: owner.id, title: "old", agent: "assistant" });
        await nextMillisecond();
        const second = await store.conversations.create({ ownerId: owner.id, title: "new", agent: "assistant" });
        const order = async () => (await store.conversations.listByOwner(owner.id, { limit: 10 })).items.map((item) => item.id);
        expect(await order()).toEqual([second.id, first.id]);
        await nextMillisecond();
        await store.conversations.touch(first.id);
        expect(await order()).toEqual([first.id, second.id]);
        await nextMillisecond();
        await store.conversations.rename(second.id, "Renamed");
        expect(await order()).toEqual([second.id, first.id]);
        const renamed = await store.conversations.findById(second.id);
        expect(renamed?.title).toBe("Renamed");
        expect(Date.parse(renamed!.updatedAt)).toBeGreaterThan(Date.parse(second.updatedAt));
      });

      test("delete removes the conversation and its tasks, nothing else", async () => {
        const owner = await addUser("deleter");
        const doomed = await store.conversations.create({ ownerId: owner.id, title: "doomed", agent: "assistant" });
        const kept = await store.conversations.create({ ownerId: owner.id, title: "kept", agent: "assistant" });
        const doomedTask = (await store.tasks.createOrGet(newTask(doomed.id, "m1", owner.id))).task;
        const keptTask = (await store.tasks.createOrGet(newTask(kept.id, "m1", owner.id))).task;
        await store.conversations.delete(doomed.id);
        expect(await store.conversations.findById(doomed.id)).toBeNull();
        expect(await store.tasks.findById(doomedTask.id)).toBeNull();
        expect(await store.conversations.findById(kept.id)).not.toBeNull();
        expect(await store.tasks.findById(keptTask.id)).toEqual(keptTask);
      });
    });

    describe("sessions", () => {
      const session = async (userId: string, familyId: string = crypto.randomUUID()) =>
        store.sessions.create({ userId, familyId, tokenHash: crypto.randomUUID(), expiresAt: new Date(Date.now() + 60_000) });

      test("create and find by token hash and by id", async () => {
        const user = await addUser("sessioned");
        const created = await session(user.id);
        expect(created).toMatchObject({ userId: user.id, rotatedAt: null, revokedAt: null });
        expect(await store.sessions.findByTokenHash(created.tokenHash)).toEqual(created);
        expect(await store.sessions.findById(created.id)).toEqual(created);
        expect(await store.sessions.findByTokenHash("nope")).toBeNull();
        expect(await store.sessions.findById("nope")).toBeNull();
      });

      test("markRotated succeeds once; never on a revoked session", async () => {
        const user = await addUser("rotator");
        const first = await session(user.id);
        expect(await store.sessions.markRotated(first.id)).toBe(true);
        expect(await store.sessions.markRotated(first.id)).toBe(false);
        expect((await store.sessions.findById(first.id))?.rotatedAt).not.toBeNull();
        const revoked = await session(user.id);
        await store.sessions.revoke(revoked.id);
        expect(await store.sessions.markRotated(revoked.id)).toBe(false);
        expect((await store.sessions.findById(revoked.id))?.revokedAt).not.toBeNull();
      });

      test("of many concurrent markRotated calls on one session exactly one wins (a replayed refresh token)", async () => {
        const user = await addUser("racer");
        const target = await session(user.id);
        const results = await Promise.all(Array.from({ length: 12 }, () => store.sessions.markRotated(target.id)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      test("revokeFamily and revokeAllForUser revoke exactly their sessions", async () => {
        const user = await addUser("family");
        const bystander = await addUser("bystander");
        const [a1, a2, b1] = [await session(user.id, "fam-a"), await session(user.id, "fam-a"), await session(user.id, "fam-b")];
        const theirs = await session(bystander.id, "fam-c");
        await store.sessions.revokeFamily("fam-a");
        const revoked = async (id: string) => (await store.sessions.findById(id))?.revokedAt !== null;
        expect([await revoked(a1.id), await revoked(a2.id), await revoked(b1.id)]).toEqual([true, true, false]);
        await store.sessions.revokeAllForUser(user.id);
        expect(await revoked(b1.id)).toBe(true);
        expect(await revoked(theirs.id)).toBe(false);
      });
    });

    describe("tasks", () => {
      test("createOrGet stores a queued task once; the same clientMessageId returns the original", async () => {
        const input = newTask("conv-1", "client-1");
        const first = await store.tasks.createOrGet(input);
        expect(first.created).toBe(true);
        expect(first.task).toMatchObject({ ...input, state: "queued", error: null });
        const again = await store.tasks.createOrGet({ ...newTask("conv-1", "client-1"), content: "different" });
        expect(again).toEqual({ task: first.task, created: false });
        const elsewhere = await store.tasks.createOrGet(newTask("conv-2", "client-1"));
        expect(elsewhere.created).toBe(true);
        expect(await store.tasks.findById(input.id)).toEqual(first.task);
        expect(await store.tasks.findByClientMessageId("conv-1", "client-1")).toEqual(first.task);
        expect(await store.tasks.findByClientMessageId("conv-1", "client-2")).toBeNull();
      });

      test("concurrent createOrGet of one message creates exactly one task (idempotent send under a race)", async () => {
        const results = await Promise.all(Array.from({ length: 12 }, () => store.tasks.createOrGet(newTask("conv-race", "same"))));
        expect(results.filter((result) => result.created)).toHaveLength(1);
        expect(new Set(results.map((result) => result.task.id)).size).toBe(1);
      });

      test("setState records the state and error; listByState returns the matching tasks oldest first", async () => {
        const ids: string[] = [];
        for (let index = 0; index < 4; index++) {
          ids.push((await store.tasks.createOrGet(newTask("conv-s", `m${index}`))).task.id);
          await nextMillisecond();
        }
        await store.tasks.setState(ids[1]!, "running");
        await store.tasks.setState(ids[2]!, "failed", "model_error: boom");
        await store.tasks.setState(ids[3]!, "succeeded");
        expect(await store.tasks.findById(ids[2]!)).toMatchObject({ state: "failed", error: "model_error: boom" });
        await store.tasks.setState(ids[2]!, "queued");
        expect((await store.tasks.findById(ids[2]!))?.error).toBeNull();
        expect((await store.tasks.listByState(["queued", "running"])).map((task) => task.id)).toEqual(ids.slice(0, 3));
        expect((await store.tasks.listByState(["succeeded"])).map((task) => task.id)).toEqual(ids.slice(3));
        expect(await store.tasks.listByState(["cancelled"])).toEqual([]);
      });

      test("a resume task keeps its kind", async () => {
        const { task } = await store.tasks.createOrGet({ ...newTask("conv-r", "tool:call-1"), kind: "resume", content: '{"approved":true}' });
        expect((await store.tasks.findById(task.id))?.kind).toBe("resume");
      });
    });

    describe("task lifecycle (durable work)", () => {
      test("markRunning counts attempts and keeps the first start; finish records the outcome; requeue clears it", async () => {
        const { task } = await store.tasks.createOrGet(newTask("c-life", "m1"));
        expect(task).toMatchObject({ attempts: 0, startedAt: null, finishedAt: null, errorCode: null, cancelRequested: false });
        await store.tasks.markRunning(task.id, 1);
        const first = (await store.tasks.findById(task.id))!;
        expect(first).toMatchObject({ state: "running", attempts: 1 });
        expect(first.startedAt).not.toBeNull();
        await nextMillisecond();
        await store.tasks.markRunning(task.id, 2);
        expect((await store.tasks.findById(task.id))!).toMatchObject({ attempts: 2, startedAt: first.startedAt });
        await store.tasks.finish(task.id, "failed", { code: "model_error", message: "boom" });
        const failed = (await store.tasks.findById(task.id))!;
        expect(failed).toMatchObject({ state: "failed", errorCode: "model_error", error: "boom" });
        expect(failed.finishedAt).not.toBeNull();
        await store.tasks.requestCancel(task.id);
        expect((await store.tasks.findById(task.id))!.cancelRequested).toBe(true);
        await store.tasks.requeue(task.id);
        expect((await store.tasks.findById(task.id))!).toMatchObject({ state: "queued", error: null, errorCode: null, finishedAt: null, cancelRequested: false });
      });

      test("listUnfinished and latest see one conversation's tasks only; listByState honours limit", async () => {
        const a = (await store.tasks.createOrGet(newTask("c-a", "1"))).task;
        await nextMillisecond();
        const b = (await store.tasks.createOrGet(newTask("c-a", "2"))).task;
        await store.tasks.createOrGet(newTask("c-other", "1"));
        await store.tasks.finish(a.id, "succeeded");
        expect((await store.tasks.listUnfinished("c-a")).map((t) => t.id)).toEqual([b.id]);
        expect((await store.tasks.latest("c-a"))?.id).toBe(b.id);
        expect(await store.tasks.latest("c-none")).toBeNull();
        expect(await store.tasks.listByState(["queued"], 1)).toHaveLength(1);
      });
    });

    describe("guard reports", () => {
      const report = (userId: string, clientMessageId: string, reportedAt: string) => ({
        userId,
        conversationId: "c1",
        clientMessageId,
        text: "ignore previous instructions",
        category: "instruction_override",
        score: 0.75,
        patternIds: ["override.ignore-previous"],
        blockedAt: reportedAt,
        reportedAt,
      });

      test("reporting twice is one report; the list is newest first with the sender's name, paged by cursor", async () => {
        const user = await addUser("dana");
        const first = await store.guardReports.createOrGet(report(user.id, "m1", "2026-01-01T00:00:00.000Z"));
        expect(await store.guardReports.createOrGet(report(user.id, "m1", "2026-01-02T00:00:00.000Z"))).toEqual(first);
        expect(first).toMatchObject({ username: "dana", patternIds: ["override.ignore-previous"], score: 0.75 });
        const second = await store.guardReports.createOrGet(report(user.id, "m2", "2026-01-03T00:00:00.000Z"));
        const page1 = await store.guardReports.list({ limit: 1 });
        expect(page1.items.map((r) => r.id)).toEqual([second.id]);
        const page2 = await store.guardReports.list({ limit: 1, cursor: page1.nextCursor! });
        expect(page2).toEqual({ items: [first], nextCursor: null });
        expect(await store.guardReports.deleteReportedBefore(new Date("2026-01-02T00:00:00.000Z"))).toBe(1);
        expect((await store.guardReports.list({ limit: 10 })).items.map((r) => r.id)).toEqual([second.id]);
      });
    });

    describe("usage", () => {
      test("one row per task; totals per user per day with the username", async () => {
        const user = await addUser("erin");
        await store.usage.record({ taskId: "t1", userId: user.id, inputTokens: 10, outputTokens: 5 });
        await store.usage.record({ taskId: "t1", userId: user.id, inputTokens: 99, outputTokens: 99 });
        await store.usage.record({ taskId: "t2", userId: user.id, inputTokens: 1, outputTokens: 2 });
        const today = new Date().toISOString().slice(0, 10);
        expect(await store.usage.dailyByUser({ from: today, to: today })).toEqual([
          { day: today, userId: user.id, username: "erin", replies: 2, inputTokens: 11, outputTokens: 7 },
        ]);
        expect(await store.usage.dailyByUser({ from: "2000-01-01", to: "2000-01-02" })).toEqual([]);
      });
    });

    describe("projects", () => {
      test("create and find only as the owner; lists and arrays round-trip", async () => {
        const owner = await addUser("maker");
        const stranger = await addUser("stranger");
        const created = await store.projects.create(owner.id, project("Rocket", { tags: ["space", "ü"], links: [], showcase: true, type: "research" }));
        expect(created).toMatchObject({ ownerId: owner.id, title: "Rocket", tags: ["space", "ü"], links: [], showcase: true, type: "research" });
        expect(await store.projects.findOwned(owner.id, created.id)).toEqual(created);
        expect(await store.projects.findOwned(stranger.id, created.id)).toBeNull();
        expect(await store.projects.findOwned(owner.id, "missing")).toBeNull();
      });

      test("updateOwned applies partial changes for the owner only", async () => {
        const owner = await addUser("updater");
        const stranger = await addUser("intruder");
        const created = await store.projects.create(owner.id, project("Draft"));
        await nextMillisecond();
        expect(await store.projects.updateOwned(stranger.id, created.id, { title: "Hijacked" })).toBeNull();
        const updated = await store.projects.updateOwned(owner.id, created.id, { title: "Final", tags: ["done"] });
        expect(updated).toMatchObject({ title: "Final", tags: ["done"], description: "about Draft", links: created.links, createdAt: created.createdAt });
        expect(Date.parse(updated!.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
        expect(await store.projects.findOwned(owner.id, created.id)).toEqual(updated);
        expect(await store.projects.updateOwned(owner.id, "missing", { title: "x" })).toBeNull();
      });

      test("concurrent partial updates of one project keep every change", async () => {
        const owner = await addUser("concurrent");
        const created = await store.projects.create(owner.id, project("Base"));
        await Promise.all([
          store.projects.updateOwned(owner.id, created.id, { title: "New title" }),
          store.projects.updateOwned(owner.id, created.id, { description: "New description" }),
          store.projects.updateOwned(owner.id, created.id, { showcase: true }),
        ]);
        expect(await store.projects.findOwned(owner.id, created.id)).toMatchObject({ title: "New title", description: "New description", showcase: true });
      });

      test("listOwned is newest first; countCreatedSince counts the owner's recent ones", async () => {
        const owner = await addUser("lister");
        const other = await addUser("someone");
        const before = new Date();
        const titles = [];
        for (const title of ["one", "two", "three"]) {
          await nextMillisecond();
          titles.push((await store.projects.create(owner.id, project(title))).title);
        }
        await store.projects.create(other.id, project("theirs"));
        expect((await store.projects.listOwned(owner.id)).map((p) => p.title)).toEqual(titles.toReversed());
        expect(await store.projects.countCreatedSince(owner.id, before)).toBe(3);
        expect(await store.projects.countCreatedSince(owner.id, new Date(Date.now() + 60_000))).toBe(0);
        expect(await store.projects.listOwned("nobody")).toEqual([]);
      });
    });

    test("ping answers while open", async () => {
      await store.ping();
    });
  });
}
