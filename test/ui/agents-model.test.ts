import { describe, expect, test } from "bun:test";
import { Api, ApiError, type AgentChoice } from "../../ui/src/api.ts";
import { createAgentsModel, DEFAULT_AGENT } from "../../ui/src/models/agents.ts";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("choosing the agent of a new conversation", () => {
  test("GET /api/agents lists them; a server without it (404) offers the default only; other failures throw", async () => {
    const list = new Api(async () => json({ agents: [{ name: "assistant", description: "d" }, { name: "projects" }] }));
    expect((await list.listAgents())!.map((agent) => agent.name)).toEqual(["assistant", "projects"]);
    const old = new Api(async () => json({ error: { code: "not_found", message: "There is no such API endpoint." } }, 404));
    expect(await old.listAgents()).toBeNull();
    const broken = new Api(async () => json({ error: { code: "internal", message: "Broken." } }, 500));
    await expect(broken.listAgents()).rejects.toBeInstanceOf(ApiError);
  });

  test("a choice appears with two agents or more; the chosen one stays valid", async () => {
    let answer: AgentChoice[] | null | Error = [{ name: "assistant" }, { name: "projects" }];
    const model = createAgentsModel({
      listAgents: async () => {
        if (answer instanceof Error) throw answer;
        return answer;
      },
    });
    expect(model.hasChoice()).toBe(false);
    await model.load();
    expect(model.hasChoice()).toBe(true);
    expect(model.chosen.value).toBe(DEFAULT_AGENT);
    model.chosen.value = "projects";
    answer = [{ name: "researcher" }, { name: "writer" }];
    await model.load();
    expect(model.chosen.value).toBe("researcher");
    answer = null;
    await model.load();
    expect(model.hasChoice()).toBe(false);
    expect(model.chosen.value).toBe(DEFAULT_AGENT);
    answer = new Error("offline");
    await model.load();
    expect(model.agents.value).toEqual([]);
  });
});
