import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { modelConfigProblem } from "../../src/agents/model.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

let model: FixtureModel;
let azure: TestAgentd;

beforeAll(async () => {
  model = await startFixtureModel();
  azure = await startTestAgentd(
    {
      llm: {
        provider: "azure",
        base_url: undefined,
        model: "gpt-4o",
        api_key: "azure-key",
        azure: { endpoint: model.origin, deployment: "team-gpt4o", api_version: "2024-10-21" },
      },
    },
    { model },
  );
});
afterAll(async () => {
  await azure.close();
  await model.close();
});

describe("provider azure", () => {
  test("streams a reply from the deployment's endpoint, with the API version and key Azure expects", async () => {
    await azure.addUser("az");
    const { token } = await azure.login("az");
    const socket = await azure.connect(await azure.createConversation(token), token);
    model.script({ text: ["from", " azure"] });
    const { text, end } = await sendAndCollect(socket, "hello azure");
    expect(end.reason).toBe("completed");
    expect(text).toBe("from azure");
    const request = model.chatRequests.at(-1)!;
    expect(request.path).toBe("/openai/deployments/team-gpt4o/chat/completions");
    expect(request.query["api-version"]).toBe("2024-10-21");
    expect(request.headers["api-key"]).toBe("azure-key");
    socket.close();
  });
});

describe("what chat needs configured", () => {
  const llm = (input: Record<string, unknown>) => ConfigSchema.parse({ llm: input }).llm;
  test("names the key to set", () => {
    expect(modelConfigProblem(llm({}))).toContain("llm.model");
    expect(modelConfigProblem(llm({ model: "gpt-4o" }))).toContain("llm.api_key");
    expect(modelConfigProblem(llm({ model: "llama3", base_url: "http://127.0.0.1:11434/v1" }))).toBeNull();
    expect(modelConfigProblem(llm({ model: "gpt-4o", api_key: "sk-x" }))).toBeNull();
    expect(modelConfigProblem(llm({ provider: "azure", model: "gpt-4o", api_key: "k" }))).toContain("llm.azure.endpoint");
    expect(modelConfigProblem(llm({ provider: "azure", model: "gpt-4o", azure: { endpoint: "https://x.openai.azure.com" } }))).toContain("AZURE_OPENAI_API_KEY");
  });
});

describe("the model factory on the calling thread", () => {
  test("an azure model streams from the deployment URL, counting tokens offline", async () => {
    const { createChatModel, estimateTokens } = await import("../../src/agents/model.ts");
    const llm = ConfigSchema.parse({
      llm: { provider: "azure", model: "gpt-4o", api_key: "k", max_retries: 0, azure: { endpoint: model.origin, deployment: "dep" } },
    }).llm;
    const chat = createChatModel(llm);
    model.script({ text: ["az", "ure"] });
    expect((await chat.invoke("hi")).text).toBe("azure");
    expect(model.chatRequests.at(-1)!.path).toBe("/openai/deployments/dep/chat/completions");
    expect(await chat.getNumTokens("abcdefgh")).toBe(2);
    expect(estimateTokens([{ type: "text", text: "abcd" }, "efgh", { type: "image_url" }])).toBe(2);
    expect(estimateTokens(undefined)).toBe(0);
  });

  test("a model that is not configured is refused with the key to set", async () => {
    const { createChatModel } = await import("../../src/agents/model.ts");
    expect(() => createChatModel(ConfigSchema.parse({}).llm)).toThrow("llm.model");
  });
});
