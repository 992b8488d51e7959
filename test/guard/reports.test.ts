import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../../src/errors.ts";
import type { Verdict } from "../../src/guard/input/input-guard.ts";
import { RecentBlocks } from "../../src/guard/recent-blocks.ts";
import { GuardReportService } from "../../src/guard/report-service.ts";
import { SqliteAppStore } from "../../src/storage/sqlite/app-store.ts";

// Time rules on a fake clock: the report window (memory) and the retention of reports (SQLite).
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const verdict: Pick<Verdict, "category" | "score" | "matches"> = {
  category: "instruction_override",
  score: 0.75,
  matches: [{ patternId: "override.ignore-previous", category: "instruction_override", severity: "high" }, { patternId: "override.ignore-previous", category: "instruction_override", severity: "high", via: "base64" }],
};
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "agentd-guard-"));
  dirs.push(dir);
  let now = Date.parse("2026-01-01T00:00:00.000Z");
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const store = SqliteAppStore.open(join(dir, "app.db"));
  const blocks = new RecentBlocks(15 * MINUTE, clock.now, 3);
  const service = new GuardReportService({ reports: store.guardReports, blocks, retentionMs: 30 * DAY, windowMs: 15 * MINUTE, now: clock.now });
  return { store, blocks, service, clock };
}

describe("the report window", () => {
  test("a blocked message can be reported for 15 minutes, then it is forgotten", async () => {
    const { store, blocks, service, clock } = setup();
    blocks.remember({ userId: "u1", conversationId: "c1", clientMessageId: "m1", text: "secret attack text", verdict });
    blocks.remember({ userId: "u1", conversationId: "c1", clientMessageId: "m2", text: "another", verdict });
    clock.advance(14 * MINUTE);
    const report = await service.report("u1", "c1", "m1");
    expect(report).toMatchObject({ text: "secret attack text", category: "instruction_override", score: 0.75 });
    expect(report.patternIds).toEqual(["override.ignore-previous", "base64:override.ignore-previous"]);
    clock.advance(2 * MINUTE);
    expect(blocks.size).toBe(0);
    const late = await service.report("u1", "c1", "m2").catch((error) => error);
    expect(late).toBeInstanceOf(AppError);
    expect((late as AppError).code).toBe("not_found");
    expect((late as AppError).message).toContain("15 minutes");
    await store.close();
  });

  test("it holds at most its capacity, dropping the oldest", () => {
    const { store, blocks } = setup();
    for (const id of ["a", "b", "c", "d"]) blocks.remember({ userId: "u", conversationId: "c", clientMessageId: id, text: id, verdict });
    expect(blocks.size).toBe(3);
    expect(blocks.find("u", "c", "a")).toBeNull();
    expect(blocks.find("u", "c", "d")?.text).toBe("d");
    expect(blocks.find("someone-else", "c", "d")).toBeNull();
    void store.close();
  });
});

describe("retention", () => {
  test("reports are deleted 30 days after they were made", async () => {
    const { store, blocks, service, clock } = setup();
    blocks.remember({ userId: "u1", conversationId: "c1", clientMessageId: "m1", text: "kept for review", verdict });
    await service.report("u1", "c1", "m1");
    expect((await service.list()).items).toHaveLength(1);
    clock.advance(29 * DAY);
    expect((await service.list()).items).toHaveLength(1);
    clock.advance(2 * DAY);
    expect((await service.list()).items).toHaveLength(0);
    await store.close();
  });

  test("listing pages through reports newest first", async () => {
    const { store } = setup();
    for (let i = 0; i < 3; i++) {
      const at = `2026-01-0${i + 1}T00:00:00.000Z`;
      await store.guardReports.createOrGet({ userId: "u", conversationId: "c", clientMessageId: `m${i}`, text: `t${i}`, category: "encoding", score: 1, patternIds: [], blockedAt: at, reportedAt: at });
    }
    const first = await store.guardReports.list({ limit: 2 });
    expect(first.items.map((r) => r.text)).toEqual(["t2", "t1"]);
    const second = await store.guardReports.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.text)).toEqual(["t0"]);
    expect(second.nextCursor).toBeNull();
    await store.close();
  });
});
