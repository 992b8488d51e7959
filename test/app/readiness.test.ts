import { expect, test } from "bun:test";
import { withTimeout } from "../../src/app/readiness.ts";

test("a readiness check that does not answer in time is not ready, with the reason; one that answers passes its answer through", async () => {
  const hanging = withTimeout(() => new Promise<string | null>(() => {}), 20);
  expect(await hanging()).toBe("no answer within 20 ms");
  expect(await withTimeout(async () => null, 20)()).toBeNull();
  expect(await withTimeout(async () => "model: llm.model is not set", 20)()).toBe("model: llm.model is not set");
});
