import { describe, expect, test } from "bun:test";
import { AIMessage, AIMessageChunk } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import { observeGenerate, observeStream } from "../../src/agents/model-calls.ts";
import { recordingObserver as recording } from "../helpers/recording-observer.ts";

const chunk = (text: string, usage?: { input_tokens: number; output_tokens: number }) =>
  new ChatGenerationChunk({
    text,
    message: new AIMessageChunk({ content: text, ...(usage ? { usage_metadata: { ...usage, total_tokens: usage.input_tokens + usage.output_tokens } } : {}) }),
  });

async function* chunks(...items: (ChatGenerationChunk | Error)[]): AsyncGenerator<ChatGenerationChunk> {
  for (const item of items) {
    if (item instanceof Error) throw item;
    yield item;
  }
}

async function drain(stream: AsyncGenerator<ChatGenerationChunk>): Promise<string> {
  let text = "";
  for await (const item of stream) text += item.text;
  return text;
}

describe("observeStream", () => {
  test("passes every chunk through; the first token is the first chunk with text; usage is summed over the chunks", async () => {
    const { seen, observer } = recording();
    const stream = observeStream(observer, chunks(chunk(""), chunk("Hel"), chunk("lo"), chunk("", { input_tokens: 11, output_tokens: 2 }), chunk("", { input_tokens: 0, output_tokens: 5 })));
    expect(await drain(stream)).toBe("Hello");
    expect(seen).toEqual(["start", "first", `end ${JSON.stringify({ input_tokens: 11, output_tokens: 7 })}`]);
  });

  test("a reply without usage ends with none", async () => {
    const { seen, observer } = recording();
    expect(await drain(observeStream(observer, chunks(chunk("hi"))))).toBe("hi");
    expect(seen).toEqual(["start", "first", "end null"]);
  });

  test("a request that fails mid-stream is told once, as failed, and the error reaches the caller", async () => {
    const { seen, observer } = recording();
    const stream = observeStream(observer, chunks(chunk("par"), new Error("connection reset")));
    await expect(drain(stream)).rejects.toThrow("connection reset");
    expect(seen).toEqual(["start", "first", "fail"]);
  });

  test("a stream its consumer leaves early (a cancelled reply) counts as failed", async () => {
    const { seen, observer } = recording();
    for await (const item of observeStream(observer, chunks(chunk("a"), chunk("b"), chunk("c")))) {
      if (item.text === "a") break;
    }
    expect(seen).toEqual(["start", "first", "fail"]);
  });

  test("without an observer the chunks pass untouched", async () => {
    expect(await drain(observeStream(undefined, chunks(chunk("x"), chunk("y"))))).toBe("xy");
  });
});

describe("observeGenerate", () => {
  const result = (usage?: { input_tokens: number; output_tokens: number }): ChatResult => ({
    generations: [{ text: "done", message: new AIMessage({ content: "done", ...(usage ? { usage_metadata: { ...usage, total_tokens: 0 } } : {}) }) }],
  });

  test("a request nobody streams ends with its usage and no first token", async () => {
    const { seen, observer } = recording();
    const out = await observeGenerate(observer, async () => result({ input_tokens: 3, output_tokens: 4 }));
    expect(out.generations[0]!.text).toBe("done");
    expect(seen).toEqual(["start", `end ${JSON.stringify({ input_tokens: 3, output_tokens: 4, total_tokens: 0 })}`]);
  });

  test("a failed request is told as failed and rethrown", async () => {
    const { seen, observer } = recording();
    await expect(observeGenerate(observer, async () => Promise.reject(new Error("HTTP 500")))).rejects.toThrow("HTTP 500");
    expect(seen).toEqual(["start", "fail"]);
  });
});
