import { expect, test } from "bun:test";
import { SlicedRunner } from "../../src/work/sliced-runner.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test("runs every job once, in order, a few per turn of the event loop", async () => {
  const runner = new SlicedRunner((error) => {
    throw error;
  }, 3);
  const ran: number[] = [];
  const turns: number[][] = [];
  for (let i = 0; i < 10; i++) runner.push(() => ran.push(i));
  expect(ran).toEqual([]); // nothing runs inside push
  while (runner.waiting > 0) {
    await nextTurn();
    turns.push([...ran]);
  }
  expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // At most 3 per turn: a slice never takes the whole backlog.
  expect(turns[0]).toEqual([0, 1, 2]);
  expect(turns[1]).toEqual([0, 1, 2, 3, 4, 5]);
});

test("socket reads and timers run between slices of a long backlog", async () => {
  const runner = new SlicedRunner(() => undefined, 1_000, 1);
  const server = Bun.serve({ port: 0, fetch: () => new Response("ok") });
  try {
    let answeredAfterJob = -1;
    let jobsRun = 0;
    // ~200 ms of jobs at 0.5 ms each, queued at once (a wave of worker reports).
    for (let i = 0; i < 400; i++) {
      runner.push(() => {
        const until = performance.now() + 0.5;
        while (performance.now() < until);
        jobsRun++;
      });
    }
    const answered = fetch(`http://127.0.0.1:${server.port}/`).then(() => (answeredAfterJob = jobsRun));
    await answered;
    // The HTTP exchange (a socket read on each side) finished while the backlog was still running.
    expect(answeredAfterJob).toBeLessThan(400);
    while (runner.waiting > 0) await nextTurn();
    expect(jobsRun).toBe(400);
  } finally {
    server.stop(true);
  }
});

test("a job that throws is reported and the ones after it still run", async () => {
  const errors: unknown[] = [];
  const runner = new SlicedRunner((error) => errors.push(error));
  const ran: string[] = [];
  runner.push(() => ran.push("a"));
  runner.push(() => {
    throw new Error("boom");
  });
  runner.push(() => ran.push("c"));
  while (runner.waiting > 0) await nextTurn();
  expect(ran).toEqual(["a", "c"]);
  expect(errors).toHaveLength(1);
  expect((errors[0] as Error).message).toBe("boom");
});

test("a runner that went idle starts again on the next job", async () => {
  const runner = new SlicedRunner(() => undefined);
  const ran: number[] = [];
  runner.push(() => ran.push(1));
  while (runner.waiting > 0) await nextTurn();
  runner.push(() => ran.push(2));
  await nextTurn();
  expect(ran).toEqual([1, 2]);
});

test("runNow runs a job at once, ahead of those waiting, and its error goes to onError like theirs", async () => {
  const errors: unknown[] = [];
  const runner = new SlicedRunner((error) => errors.push(error), 2);
  const ran: string[] = [];
  for (let i = 0; i < 4; i++) runner.push(() => ran.push(`queued ${i}`));
  runner.runNow(() => ran.push("now"));
  runner.runNow(() => {
    throw new Error("failed now");
  });
  expect(ran).toEqual(["now"]);
  while (runner.waiting > 0) await nextTurn();
  expect(ran).toEqual(["now", "queued 0", "queued 1", "queued 2", "queued 3"]);
  expect(errors.map((error) => (error as Error).message)).toEqual(["failed now"]);
});

