import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { dataPaths } from "../../src/app/paths.ts";
import { SqliteSaver } from "../../src/checkpoint/sqlite-saver.ts";
import { CloseCode, type Conversation, type ConversationPage, type ConversationWithMessages } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { openSocket } from "../helpers/ws.ts";

let agentd: TestAgentd;
let alice: string;
let bob: string;

beforeAll(async () => {
  agentd = await startTestAgentd();
  for (const name of ["alice", "bob", "pager"]) await agentd.addUser(name);
  alice = (await agentd.login("alice")).token;
  bob = (await agentd.login("bob")).token;
});
afterAll(() => agentd.close());

const json = (body: unknown) => JSON.stringify(body);
type ErrorBody = { error: { code: string; message: string } };

async function create(token: string, body: Record<string, unknown> = {}): Promise<Conversation> {
  const response = await agentd.api("/api/conversations", { method: "POST", token, body: json(body) });
  expect(response.status).toBe(201);
  return (await response.json()) as Conversation;
}

async function page(token: string, cursor?: string): Promise<ConversationPage> {
  const response = await agentd.api(`/api/conversations${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationPage;
}

describe("create", () => {
  test("201 with the default title and the assistant agent", async () => {
    const conversation = await create(alice);
    expect(conversation).toMatchObject({ title: "New conversation", agent: "assistant" });
    expect(Date.parse(conversation.createdAt)).not.toBeNaN();
    expect((await create(alice, { title: "Trip plans" })).title).toBe("Trip plans");
  });

  test("an unknown agent is a 400 that names the known agents", async () => {
    const response = await agentd.api("/api/conversations", { method: "POST", token: alice, body: json({ agent: "oracle" }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain("oracle");
    expect(body.error.message).toContain("assistant");
  });
});

describe("list", () => {
  test("newest first, 50 a page, the cursor walks every conversation once", async () => {
    const { token } = await agentd.login("pager");
    const created: string[] = [];
    for (let i = 0; i < 55; i++) created.push((await create(token, { title: `chat ${i}` })).id);
    const first = await page(token);
    expect(first.conversations).toHaveLength(50);
    expect(first.nextCursor).not.toBeNull();
    const second = await page(token, first.nextCursor!);
    expect(second.nextCursor).toBeNull();
    const seen = [...first.conversations, ...second.conversations].map((c) => c.id);
    expect(seen).toEqual(created.toReversed());

    // Activity moves a conversation to the top.
    const oldest = created[0]!;
    await agentd.api(`/api/conversations/${oldest}`, { method: "PATCH", token, body: json({ title: "revived" }) });
    expect((await page(token)).conversations[0]!.id).toBe(oldest);
  });

  test("shows only the caller's conversations", async () => {
    const mine = await create(bob, { title: "bob's" });
    const aliceIds = (await page(alice)).conversations.map((c) => c.id);
    expect(aliceIds).not.toContain(mine.id);
    expect((await page(bob)).conversations.map((c) => c.id)).toContain(mine.id);
  });
});

describe("get, rename, delete", () => {
  test("GET returns the conversation with its messages", async () => {
    const conversation = await create(alice, { title: "With messages" });
    const empty = (await (await agentd.api(`/api/conversations/${conversation.id}`, { token: alice })).json()) as ConversationWithMessages;
    expect(empty).toMatchObject({ id: conversation.id, title: "With messages", messages: [] });
    const socket = await agentd.connect(conversation.id, alice);
    const reply = await sendAndCollect(socket, "hello there");
    socket.close();
    const full = (await (await agentd.api(`/api/conversations/${conversation.id}`, { token: alice })).json()) as ConversationWithMessages;
    expect(full.messages.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: "user", content: "hello there" },
      { role: "assistant", content: "echo: hello there" },
    ]);
    expect(full.messages[1]!.id).toBe(reply.accepted.messageId);
  });

  test("PATCH renames; an empty or missing title is a 400", async () => {
    const { id } = await create(alice);
    const renamed = await agentd.api(`/api/conversations/${id}`, { method: "PATCH", token: alice, body: json({ title: "Renamed" }) });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as Conversation).title).toBe("Renamed");
    for (const body of [{ title: "" }, {}, { title: "x".repeat(201) }]) {
      const response = await agentd.api(`/api/conversations/${id}`, { method: "PATCH", token: alice, body: json(body) });
      expect(response.status).toBe(400);
      const error = (await response.json()) as ErrorBody;
      expect(error.error.code).toBe("bad_request");
      expect(error.error.message).toContain("title");
    }
    const stored = (await (await agentd.api(`/api/conversations/${id}`, { token: alice })).json()) as Conversation;
    expect(stored.title).toBe("Renamed");
  });

  test("DELETE is 204; afterwards the conversation, its socket and its checkpoints are gone", async () => {
    const { id } = await create(alice);
    const socket = await agentd.connect(id, alice);
    await sendAndCollect(socket, "forget me");
    socket.close();
    const checkpoints = SqliteSaver.fromPath(dataPaths(agentd.config).checkpoints);
    const newest = () => checkpoints.getTuple({ configurable: { thread_id: id, checkpoint_ns: "" } });
    try {
      expect(await newest()).toBeDefined();
      expect((await agentd.api(`/api/conversations/${id}`, { method: "DELETE", token: alice })).status).toBe(204);
      expect(await newest()).toBeUndefined();
    } finally {
      checkpoints.db.close();
    }
    expect((await agentd.api(`/api/conversations/${id}`, { token: alice })).status).toBe(404);
    expect((await agentd.api(`/api/conversations/${id}`, { method: "DELETE", token: alice })).status).toBe(404);
    expect((await page(alice)).conversations.map((c) => c.id)).not.toContain(id);
    expect((await openSocket(agentd.wsUrl(id, `token=${alice}`)).closed).code).toBe(CloseCode.notFound);
  });
});

describe("nothing leaks across users", () => {
  test("another user's conversation answers exactly like a missing one, and is left untouched", async () => {
    const { id } = await create(bob, { title: "private" });
    const missing = crypto.randomUUID();
    const attempts: [string, RequestInit][] = [
      ["GET", {}],
      ["PATCH", { body: json({ title: "hijacked" }) }],
      ["DELETE", {}],
    ];
    for (const [method, init] of attempts) {
      const theirs = await agentd.api(`/api/conversations/${id}`, { ...init, method, token: alice });
      const absent = await agentd.api(`/api/conversations/${missing}`, { ...init, method, token: alice });
      expect(theirs.status).toBe(404);
      expect(absent.status).toBe(404);
      const body = (await theirs.json()) as ErrorBody;
      expect(body.error.code).toBe("not_found");
      expect(body).toEqual((await absent.json()) as ErrorBody);
    }
    const stillThere = await agentd.api(`/api/conversations/${id}`, { token: bob });
    expect(stillThere.status).toBe(200);
    expect(((await stillThere.json()) as Conversation).title).toBe("private");
  });
});

describe("errors", () => {
  test("no token or a bad token: 401 on every conversation route", async () => {
    const { id } = await create(alice);
    const routes: [string, string][] = [
      ["GET", "/api/conversations"],
      ["POST", "/api/conversations"],
      ["GET", `/api/conversations/${id}`],
      ["PATCH", `/api/conversations/${id}`],
      ["DELETE", `/api/conversations/${id}`],
    ];
    for (const [method, path] of routes) {
      for (const token of [undefined, "not-a-token"]) {
        const response = await agentd.api(path, { method, token, body: method === "POST" || method === "PATCH" ? json({ title: "t" }) : undefined });
        expect(response.status).toBe(401);
        expect(((await response.json()) as ErrorBody).error.code).toBe("unauthorized");
      }
    }
    expect((await agentd.api(`/api/conversations/${id}`, { token: alice })).status).toBe(200);
  });

  test("an unknown /api path is a JSON 404 not_found", async () => {
    for (const [path, token] of [["/api/nope", undefined], ["/api/nope", alice], ["/api/conversations/a/b", alice]] as const) {
      const response = await agentd.api(path, { token });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain("application/json");
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code).toBe("not_found");
      expect(typeof body.error.message).toBe("string");
    }
  });
});
