import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { createChatModel } from "../src/agents/model.ts";
import { ConfigSchema } from "../src/config/schema.ts";
import { startFixtureModel, type FixtureModel } from "./fixtures/openai-fixture.ts";
import { egressRecorder } from "./helpers/egress-attempts.ts";

// agentd contacts no host but the configured model endpoint. The preload routes every other
// connection to a recorder; these tests drive the paths known to phone home.
let model: FixtureModel;
const llm = () => ConfigSchema.parse({ llm: { base_url: model.url, model: "gpt-4o", api_key: "k", max_retries: 0 } }).llm;

beforeAll(async () => {
  model = await startFixtureModel();
});
afterAll(() => model.close());

describe("no outbound connections", () => {
  test("the recorder catches a connection to a public host (so the checks below can fail)", async () => {
    const recorder = egressRecorder();
    const before = recorder.attempts.length;
    await fetch("https://example.com/").catch(() => undefined);
    expect(recorder.attempts.slice(before)).toEqual(["CONNECT example.com:443 HTTP/1.1"]);
    recorder.attempts.splice(before); // expected; keep the suite-wide check clean
  });

  test("invoke() without a stream callback (where @langchain/openai would download tiktoken) stays local", async () => {
    const recorder = egressRecorder();
    const before = recorder.attempts.length;
    const reply = await createChatModel(llm()).invoke([new HumanMessage("count my tokens")]);
    expect(reply.text).toBe("echo: count my tokens");
    expect(recorder.attempts.slice(before)).toEqual([]);
  });

  test("streaming stays local too, and token counting answers offline", async () => {
    const recorder = egressRecorder();
    const before = recorder.attempts.length;
    const chat = createChatModel(llm());
    let text = "";
    for await (const chunk of await chat.stream([new HumanMessage("stream please")])) text += chunk.text;
    expect(text).toBe("echo: stream please");
    expect(await chat.getNumTokens("twelve characters long")).toBeGreaterThan(0);
    expect(recorder.attempts.slice(before)).toEqual([]);
  });

  test("a model with tools bound (a copy made by withConfig) still counts offline on invoke()", async () => {
    const recorder = egressRecorder();
    const before = recorder.attempts.length;
    const echo = tool(async ({ text }) => text, { name: "echo", description: "Repeats the text.", schema: z.object({ text: z.string() }) });
    const bound = createChatModel(llm()).bindTools!([echo]);
    const reply = await bound.invoke([new HumanMessage("count my tokens with tools")]);
    expect(reply.text).toBe("echo: count my tokens with tools");
    expect(recorder.attempts.slice(before)).toEqual([]);
  });

  test("the model endpoint itself is the only host contacted", () => {
    expect(model.chatRequests.length).toBeGreaterThanOrEqual(2);
  });
});
