import type { ModelCallObserver } from "../../src/agents/model-calls.ts";

/** A model-call observer that writes down what it is told, in order (`end` with its usage as JSON). */
export function recordingObserver(): { seen: string[]; observer: ModelCallObserver } {
  const seen: string[] = [];
  const observer: ModelCallObserver = {
    start: () => {
      seen.push("start");
      return {
        firstToken: () => seen.push("first"),
        end: (usage) => seen.push(`end ${JSON.stringify(usage ?? null)}`),
        fail: () => seen.push("fail"),
      };
    },
  };
  return { seen, observer };
}
