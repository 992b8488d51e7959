import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { createChatModel } from "../../src/agents/model.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { recordingObserver as recording } from "../helpers/recording-observer.ts";

let model: FixtureModel;
beforeAll(async () => {
  model = await startFixtureModel();
});
afterAll(() => model.close());

describe("a chat model's observer", () => {
  const llm = (provider: "openai" | "azure") =>
    ConfigSchema.parse({
      llm:
        provider === "openai"
          ? { base_url: model.url, model: "fixture-model", api_key: "k", max_retries: 0 }
          : { provider: "azure", api_key: "k", max_retries: 0, azure: { endpoint: model.origin, deployment: "fixture-deployment", api_version: "2024-10-21" } },
    }).llm;
  const echo = tool(async ({ text }) => text, { name: "echo", description: "Repeats the text.", schema: z.object({ text: z.string() }) });

  for (const provider of ["openai", "azure"] as const) {
    test(`${provider}: a streamed request, also through a copy with tools bound, is seen start to end with its usage`, async () => {
      const { seen, observer } = recording();
      const chat = createChatModel(llm(provider), { observer });
      model.script({ text: ["Hel", "lo"], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
      let text = "";
      for await (const chunk of await chat.stream([new HumanMessage("hi")])) text += chunk.text;
      expect(text).toBe("Hello");
      model.script({ text: ["bound"], usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 } });
      const bound = chat.bindTools!([echo]);
      for await (const chunk of await bound.stream([new HumanMessage("hi again")])) text += chunk.text;
      expect(text).toBe("Hellobound");
      const usage = (input: number, output: number) => `end ${JSON.stringify({ input_tokens: input, output_tokens: output })}`;
      expect(seen).toEqual(["start", "first", usage(3, 2), "start", "first", usage(4, 1)]);
    });
  }

  test("a request the provider refuses is seen as failed", async () => {
    const { seen, observer } = recording();
    model.script({ error: { status: 500, message: "boom" } });
    await expect(createChatModel(llm("openai"), { observer }).invoke([new HumanMessage("fail")])).rejects.toThrow();
    expect(seen).toEqual(["start", "fail"]);
  });
});
