import { describe, expect, test } from "bun:test";
import { expectedReplyFor, messageContent } from "../../bench/lib/expected.ts";
import { median, percentile, round, runSpread } from "../../bench/lib/stats.ts";
import { medianTarget } from "../../bench/lib/targets.ts";
import { hasErrors, summarize, type Turn, type Window } from "../../bench/loadgen/turns.ts";

const cpu = (ms: number) => ({ user: ms * 1000, system: 0 });
const WINDOW: Window = { startAt: 1_000, endAt: 3_000, client: { cpuStart: cpu(0), cpuEnd: cpu(500) } };
const SERVER = (cpuMs: number, rssBytes: number, at: number) => ({ at, cpuMs, rssBytes, threads: 4 });

/** A turn sent at `sentAt` whose deltas came every 10 ms after a 100 ms wait. */
function turn(sentAt: number, options: { text?: string; outcome?: string; deltas?: number } = {}): Turn {
  const deltas = options.deltas ?? 3;
  const deltaAt = Array.from({ length: deltas }, (_, i) => sentAt + 100 + i * 10);
  return {
    client: 0,
    content: "hi",
    expected: "right",
    sentAt,
    acceptedAt: sentAt + 2,
    deltaAt,
    deltaChars: deltaAt.map(() => 1),
    text: options.text ?? "right",
    endAt: (deltaAt.at(-1) ?? sentAt) + 5,
    outcome: options.outcome ?? "completed",
  };
}

describe("a benchmark window's figures", () => {
  test("warm-up turns count towards errors but not towards speed; only the window's replies and deltas count", () => {
    const turns = [turn(500), turn(1_200), turn(2_000), turn(2_950)];
    const result = summarize(turns, WINDOW, 1, {});
    // Sent in the window: 1200, 2000, 2950. Ended in the window: 500's (at 625 → no), 1200's, 2000's; 2950's ends at 3075.
    expect(result.completed).toBe(2);
    expect(result.repliesPerSecond).toBe(1);
    expect(result.firstDeltaMs.count).toBe(3);
    expect(result.firstDeltaMs.p50).toBe(100);
    expect(result.acceptMs?.p99).toBe(2);
    expect(result.deltaGapMs.max).toBe(10);
    // 1200's three, 2000's three, none of 2950's (they arrive after 3000).
    expect(result.deltas).toBe(6);
    expect(result.client.cores).toBe(0.25);
    expect(hasErrors(result)).toBe(false);
  });

  test("a fast wrong answer is not a completed reply: it is counted as wrong text and fails the run", () => {
    const result = summarize([turn(1_200, { text: "wrong" }), turn(1_300)], WINDOW, 2, {});
    expect(result.completed).toBe(1);
    expect(result.wrongText).toBe(1);
    expect(result.firstDeltaMs.count).toBe(1);
    expect(hasErrors(result)).toBe(true);
  });

  test("failed, unfinished and closed turns are counted by outcome, warm-up included", () => {
    const unfinished = { ...turn(2_900), outcome: undefined, endAt: undefined };
    const result = summarize([turn(500, { outcome: "closed:1006" }), turn(1_500, { outcome: "end:failed:model_error" }), unfinished], WINDOW, 3, { 1006: 1 });
    expect(result.failures).toEqual({ "closed:1006": 1, "end:failed:model_error": 1 });
    expect(result.unfinished).toBe(1);
    expect(result.closeCodes).toEqual({ 1006: 1 });
    expect(result.completed).toBe(0);
    expect(hasErrors(result)).toBe(true);
  });

  test("the server's CPU and memory are taken over the window and divided by what it delivered", () => {
    const window: Window = {
      ...WINDOW,
      server: {
        pid: 1,
        start: SERVER(1_000, 100e6, 1_000),
        end: SERVER(1_600, 120e6, 3_000),
        peakRssBytes: 130e6,
        threadsStart: { main: 900, Worker: 100 },
        threadsEnd: { main: 1_300, Worker: 300, HeapHelper: 1 },
      },
      machine: { start: { busyMs: 0, totalMs: 0 }, end: { busyMs: 3_000, totalMs: 4_000 }, loadAverage: 3.5 },
    };
    const result = summarize([turn(1_200), turn(2_000)], window, 2, {});
    expect(result.server).toEqual({
      cpuMs: 600,
      cores: 0.3,
      cpuMsPerToken: 100,
      cpuMsPerReply: 300,
      rssStartBytes: 100e6,
      rssEndBytes: 120e6,
      rssPeakBytes: 130e6,
      threads: 4,
      // Per thread name; a thread that barely ran (under 0.005 cores) is left out.
      threadCores: { main: 0.2, Worker: 0.1 },
    });
    // Other tenants' load is reported beside the figures: the machine had 2 cores, 1.5 of them busy.
    expect(result.machine).toEqual({ busyCores: 1.5, cores: 2, loadAverage: 3.5 });
  });
});

test("a delta that carries several of the model's tokens counts as its share of the reply", () => {
  // Both replies are 4 tokens of "abcdefgh": one as 4 deltas of 2 characters, one as 1 delta of 6 and 1 of 2.
  const base = { client: 0, content: "hi", expected: "abcdefgh", text: "abcdefgh", outcome: "completed" };
  const perToken: Turn = { ...base, sentAt: 1_100, deltaAt: [1_200, 1_210, 1_220, 1_230], deltaChars: [2, 2, 2, 2], endAt: 1_240 };
  const merged: Turn = { ...base, sentAt: 1_300, deltaAt: [1_400, 1_410], deltaChars: [6, 2], endAt: 1_420 };
  const result = summarize([perToken, merged], WINDOW, 2, {}, 4);
  expect(result.deltas).toBe(6);
  expect(result.tokens).toBe(8);
});

describe("benchmark statistics", () => {
  test("percentiles by nearest rank; medians over runs ignore runs that measured nothing", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([], 50)).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, Number.NaN, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect([round(1.23456), round(123.456), round(12345.6)]).toEqual([1.235, 123.5, 12346]);
  });

  test("a target line shows how far apart its runs were, skipping runs that measured nothing", () => {
    expect(runSpread([33.81, 19.94, 54.5], " ms")).toBe(" (runs: 19.9–54.5 ms)");
    expect(runSpread([1.1172, Number.NaN, 1.0891], "×")).toBe(" (runs: 1.089–1.117×)");
    expect(runSpread([12])).toBe("");
    expect(runSpread([Number.NaN, 12])).toBe("");
  });

  test("a target is judged on the unrounded median of its runs, though it is shown rounded", () => {
    const atMost50 = (ms: number) => ms <= 50;
    expect(medianTarget({ name: "p99", target: "≤ 50 ms", runs: [50.04, 50.04, 49.0], unit: " ms", meets: atMost50 })).toEqual({
      name: "p99",
      target: "≤ 50 ms",
      measured: "50 ms (runs: 49–50 ms)",
      met: false,
    });
    expect(medianTarget({ name: "p99", target: "≤ 50 ms", runs: [49.96, Number.NaN, 60], unit: " ms", meets: atMost50 }).met).toBe(false);
    expect(medianTarget({ name: "p99", target: "≤ 50 ms", runs: [49.96, 49.0, 60], unit: " ms", meets: atMost50 }).met).toBe(true);
    const replies = medianTarget({ name: "replies", target: "≥ 95%", runs: [94.96], unit: "%", note: " of the limit", meets: (percent) => percent >= 95 });
    expect(replies).toMatchObject({ measured: "95% of the limit", met: false });
    expect(medianTarget({ name: "none", target: "≤ 1", runs: [Number.NaN], unit: "", meets: () => true }).measured).toBe("NaN");
  });

  test("the expected reply quotes the message that asked it, so replies cannot be swapped between clients", () => {
    const expected = expectedReplyFor({ ttftMs: 0, tokens: 200, gapMs: 0 });
    const mine = expected(messageContent(1, 0));
    expect(mine).toContain(messageContent(1, 0));
    expect(mine).not.toBe(expected(messageContent(2, 0)));
    expect(expectedReplyFor({ ttftMs: 0, tokens: 5, gapMs: 0 })("x")).toBe("(demo model) Hello! I am");
  });
});
