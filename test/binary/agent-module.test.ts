import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFixtureModel, type FixtureModel } from "../fixtures/openai-fixture.ts";
import { buildBinary, emptyDir, spawnBinary } from "../helpers/binary.ts";
import { openSocket } from "../helpers/ws.ts";

// A team's own agent: a TypeScript file outside the binary that imports the SDK packages by name.
const MODULE = `
import { StateGraph, MessagesAnnotation, START, END } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { AIMessage, SystemMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";

const shout = tool(async ({ text }) => text.toUpperCase() + "!", {
  name: "shout",
  description: "Shouts the text.",
  schema: z.object({ text: z.string() }),
});

export default function createAgent({ model, checkpointer, systemPrompt }) {
  const caller = model.bindTools([shout]);
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state, config) => ({ messages: [await caller.invoke([new SystemMessage(systemPrompt), ...state.messages], config)] }))
    .addNode("tools", new ToolNode([shout]))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", (state) => (state.messages.at(-1) instanceof AIMessage && state.messages.at(-1).tool_calls?.length ? "tools" : END), ["tools", END])
    .addEdge("tools", "agent")
    .compile({ checkpointer });
}
`;

let binary: string;
let model: FixtureModel;
beforeAll(async () => {
  [binary, model] = await Promise.all([buildBinary(), startFixtureModel()]);
}, 120_000);
afterAll(() => model.close());

function configIn(dir: string, modulePath: string) {
  writeFileSync(
    join(dir, "agentd.yaml"),
    [
      "server: { host: 127.0.0.1, port: 0 }",
      `data_dir: ${join(dir, "data")}`,
      `llm: { base_url: "${model.url}", model: fixture-model, api_key: k }`,
      "workers: { threads: 1 }",
      "agents:",
      "  - name: shouter",
      "    description: Shouts back.",
      `    module: ${modulePath}`,
    ].join("\n"),
  );
}

describe("an agent from a module: file, in the compiled binary", () => {
  test("loads in the worker thread, builds a real graph with a tool, and streams its reply", async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, "shouter.ts"), MODULE);
    configIn(dir, "./shouter.ts");
    const added = spawnBinary(binary, ["user", "add", "sam", "--password-stdin", "--config", "agentd.yaml"], { cwd: dir, stdin: "long enough password\n" });
    expect(await added.proc.exited).toBe(0);
    const server = spawnBinary(binary, ["serve", "--config", "agentd.yaml"], { cwd: dir });
    await server.waitForOutput("agentd listening");
    const url = /"url":"(http:\/\/[^"]+)"/.exec(server.output())![1]!;
    const { token } = (await (
      await fetch(`${url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "sam", password: "long enough password" }) })
    ).json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const conversation = (await (await fetch(`${url}/api/conversations`, { method: "POST", headers, body: JSON.stringify({ agent: "shouter" }) })).json()) as { id: string };

    model.script({ toolCalls: [{ id: "call_shout", name: "shout", arguments: { text: "hello" } }] }, { text: ["HELLO", "!"] });
    const socket = openSocket(`${url.replace("http", "ws")}/ws/chat/${conversation.id}?token=${token}`);
    await socket.next("session.ready");
    socket.send({ type: "message.send", clientMessageId: "m1", content: "shout hello" });
    const toolEnd = await socket.next("tool.end");
    expect(toolEnd).toMatchObject({ name: "shout", ok: true, summary: "HELLO!" });
    expect((await socket.next("message.end")).reason).toBe("completed");
    expect(socket.frames.flatMap((f) => (f.type === "message.delta" ? [f.text] : [])).join("")).toBe("HELLO!");
    server.proc.kill("SIGTERM");
    expect(await server.proc.exited).toBe(0);
  }, 60_000);

  test("a module that fails to load stops the start with an error naming the file", async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, "broken.ts"), "export default 42;\n");
    configIn(dir, "./broken.ts");
    const server = spawnBinary(binary, ["serve", "--config", "agentd.yaml"], { cwd: dir });
    expect(await server.proc.exited).toBe(1);
    expect(server.output()).toContain("broken.ts");
    expect(server.output()).toContain("default function");
  }, 30_000);
});
