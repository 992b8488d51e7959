import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importSqliteData } from "../../src/app/import-sqlite.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import type { ConversationWithMessages } from "../../src/protocol/index.ts";
import { SqliteAppStore } from "../../src/storage/sqlite/app-store.ts";
import { startFixtureModel } from "../fixtures/openai-fixture.ts";
import { PASSWORD, sendAndCollect, startTestAgentd } from "../helpers/agentd.ts";
import { requirePostgres } from "../helpers/services.ts";

const postgres = await requirePostgres();

if (postgres) {
  const model = await startFixtureModel();
  const dataDir = mkdtempSync(join(tmpdir(), "agentd-import-"));
  afterAll(async () => {
    await model.close();
    await postgres.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("agentd migrate --from-sqlite: a single node's accounts, conversations with their history, projects and usage work on Postgres; a second run copies nothing twice", async () => {
    // A single node on SQLite: an account, a conversation with one reply, a project.
    const single = await startTestAgentd({ workers: { threads: 0 } }, { model, dataDir });
    const aliceId = await single.addUser("alice");
    const { token } = await single.login("alice");
    const id = await single.createConversation(token, { title: "Before the move" });
    const socket = await single.connect(id, token);
    model.script({ text: ["Kept", " across", " the", " move."], usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 } });
    expect((await sendAndCollect(socket, "remember this")).text).toBe("Kept across the move.");
    socket.close();
    await single.close();
    const store = SqliteAppStore.open(join(dataDir, "agentd.db"));
    await store.projects.create(aliceId, { title: "Atlas", description: "a map app", type: "app", tags: ["maps"], links: ["https://example.com"], showcase: true });
    await store.close();

    const schema = await postgres.createSchema();
    const config = ConfigSchema.parse({ data_dir: mkdtempSync(join(tmpdir(), "agentd-import-target-")), postgres: { url: postgres.url, schema } });
    const said = await importSqliteData(config, dataDir);
    expect(said).toContain("users: 2 of 2 copied"); // alice and the first start's admin
    expect(said).toContain("conversations: 1 of 1 copied");
    expect(said).toContain("projects: 1 of 1 copied");
    expect(said).toContain("task_usage: 1 of 1 copied");
    expect(said.find((line) => line.startsWith("checkpoints:"))).toMatch(/^checkpoints: [1-9]\d* copied, of 1 conversations$/);

    // A node on Postgres: the same login, conversation, history, project and usage.
    const moved = await startTestAgentd({ workers: { threads: 0 }, postgres: { url: postgres.url, schema } }, { model });
    try {
      const login = await moved.api("/api/auth/login", { method: "POST", body: JSON.stringify({ username: "alice", password: PASSWORD }) });
      expect(login.status).toBe(200);
      const alice = ((await login.json()) as { token: string }).token;
      const conversation = (await (await moved.api(`/api/conversations/${id}`, { token: alice })).json()) as ConversationWithMessages;
      expect(conversation.title).toBe("Before the move");
      expect(conversation.messages.map(({ role, content }) => ({ role, content }))).toEqual([
        { role: "user", content: "remember this" },
        { role: "assistant", content: "Kept across the move." },
      ]);
      const projects = (await (await moved.api("/api/projects", { token: alice })).json()) as { projects: { title: string; tags: string[]; showcase: boolean }[] };
      expect(projects.projects).toMatchObject([{ title: "Atlas", tags: ["maps"], showcase: true }]);
      // The conversation goes on where it stopped: the model sees the earlier turn.
      const next = await moved.connect(id, alice);
      model.script({ text: ["Still", " here."] });
      expect((await sendAndCollect(next, "do you remember?")).text).toBe("Still here.");
      expect(model.chatRequests.at(-1)!.body!.messages!.map((message) => message.content)).toContain("Kept across the move.");
      next.close();
    } finally {
      await moved.close();
    }

    const again = await importSqliteData(config, dataDir);
    expect(again).toContain("users: 0 of 2 copied (the rest were there already)");
    expect(again).toContain("tasks: 0 of 1 copied (the rest were there already)");
  });
}
