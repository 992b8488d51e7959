import { expect, test } from "bun:test";
import type { WorkerReport } from "../../src/work/thread-messages.ts";
import { TurnReports } from "../../src/work/turn-reports.ts";

const delta = (taskId: string, text: string): WorkerReport => ({ type: "event", taskId, event: { kind: "delta", text } });

test("a task's deltas of one turn cross as one, in order, beside other tasks' reports", () => {
  const turn = new TurnReports();
  expect(turn.add(delta("a", "Hel"))).toBe(true); // the turn's first: the caller schedules the post
  expect(turn.add(delta("b", "Ho"))).toBe(false);
  turn.add(delta("a", "lo"));
  turn.add(delta("b", "la"));
  turn.add(delta("a", "!"));
  expect(turn.take()).toEqual([delta("a", "Hello!"), delta("b", "Hola")]);
});

test("a delta after another event of its task is not merged across it", () => {
  const turn = new TurnReports();
  turn.add(delta("a", "one"));
  const tool: WorkerReport = { type: "event", taskId: "a", event: { kind: "tool-start", toolCallId: "t1", name: "search", args: {} } };
  turn.add(tool);
  turn.add(delta("a", "two"));
  turn.add({ type: "event", taskId: "a", event: { kind: "end", reason: "completed" } });
  expect(turn.take()).toEqual([delta("a", "one"), tool, delta("a", "two"), { type: "event", taskId: "a", event: { kind: "end", reason: "completed" } }]);
});

test("each turn starts empty: nothing joins a delta already posted", () => {
  const turn = new TurnReports();
  turn.add(delta("a", "first"));
  expect(turn.take()).toEqual([delta("a", "first")]);
  expect(turn.add(delta("a", "second"))).toBe(true);
  expect(turn.take()).toEqual([delta("a", "second")]);
});
