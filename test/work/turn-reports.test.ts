import { expect, test } from "bun:test";
import type { WorkerReport } from "../../src/work/thread-messages.ts";
import { TurnReports } from "../../src/work/turn-reports.ts";

/** Runs 1 and 2 (a run is one attempt of a task in a worker thread). */
const delta = (runId: number, text: string): WorkerReport => ({ type: "event", runId, event: { kind: "delta", text } });

test("a run's deltas of one turn cross as one, in order, beside other runs' reports", () => {
  const turn = new TurnReports();
  expect(turn.add(delta(1, "Hel"))).toBe(true); // the turn's first: the caller schedules the post
  expect(turn.add(delta(2, "Ho"))).toBe(false);
  turn.add(delta(1, "lo"));
  turn.add(delta(2, "la"));
  turn.add(delta(1, "!"));
  expect(turn.take()).toEqual([delta(1, "Hello!"), delta(2, "Hola")]);
});

test("a delta after another event of its run is not merged across it", () => {
  const turn = new TurnReports();
  turn.add(delta(1, "one"));
  const tool: WorkerReport = { type: "event", runId: 1, event: { kind: "tool-start", toolCallId: "t1", name: "search", args: {} } };
  turn.add(tool);
  turn.add(delta(1, "two"));
  turn.add({ type: "event", runId: 1, event: { kind: "end", reason: "completed" } });
  expect(turn.take()).toEqual([delta(1, "one"), tool, delta(1, "two"), { type: "event", runId: 1, event: { kind: "end", reason: "completed" } }]);
});

test("each turn starts empty: nothing joins a delta already posted", () => {
  const turn = new TurnReports();
  turn.add(delta(1, "first"));
  expect(turn.take()).toEqual([delta(1, "first")]);
  expect(turn.add(delta(1, "second"))).toBe(true);
  expect(turn.take()).toEqual([delta(1, "second")]);
});

test("two runs of one task never merge: a task run again keeps its reports apart from the earlier run's", () => {
  const turn = new TurnReports();
  turn.add(delta(1, "late text of the earlier run"));
  turn.add(delta(2, "the new run's first words"));
  expect(turn.take()).toEqual([delta(1, "late text of the earlier run"), delta(2, "the new run's first words")]);
});
