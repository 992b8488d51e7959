import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { usageRange } from "../../src/http/routes/admin.ts";
import { UsageReport } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { until } from "../helpers/until.ts";

let agentd: TestAgentd;
let adminToken: string;
let aliceToken: string;
let aliceId: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  agentd = await startTestAgentd({ workers: { threads: 0 } });
  await agentd.addUser("boss", undefined, "admin");
  aliceId = await agentd.addUser("alice");
  ({ token: adminToken } = await agentd.login("boss"));
  ({ token: aliceToken } = await agentd.login("alice"));
  const id = await agentd.createConversation(aliceToken);
  const socket = await agentd.connect(id, aliceToken);
  agentd.model.script(
    { text: ["a"], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } },
    { text: ["b"], usage: { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55 } },
  );
  await sendAndCollect(socket, "one");
  await sendAndCollect(socket, "two");
  socket.close();
  await usageReplies(2);
});

/** Usage is stored just after a reply's end is sent: waits until the report counts `replies`. */
const usageReplies = (replies: number) =>
  until(async () => {
    const report = UsageReport.parse(await (await agentd.api(`/api/admin/usage?from=${today}&to=${today}`, { token: adminToken })).json());
    return report.days[0]?.replies === replies;
  }, `${replies} replies in the usage report`);
afterAll(() => agentd.close());

describe("GET /api/admin/usage", () => {
  test("an admin gets tokens per user per day, as the provider reported them", async () => {
    const response = await agentd.api("/api/admin/usage", { token: adminToken });
    expect(response.status).toBe(200);
    const report = UsageReport.parse(await response.json());
    expect(report.to).toBe(today);
    expect(report.days).toEqual([
      { day: today, userId: aliceId, username: "alice", replies: 2, inputTokens: 150, outputTokens: 25, totalTokens: 175 },
    ]);
  });

  test("usage outlives the conversation it was spent in", async () => {
    const id = await agentd.createConversation(aliceToken);
    const socket = await agentd.connect(id, aliceToken);
    agentd.model.script({ text: ["c"], usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 } });
    await sendAndCollect(socket, "three");
    socket.close();
    await usageReplies(3);
    expect((await agentd.api(`/api/conversations/${id}`, { method: "DELETE", token: aliceToken })).status).toBe(204);
    const report = UsageReport.parse(await (await agentd.api(`/api/admin/usage?from=${today}&to=${today}`, { token: adminToken })).json());
    expect(report.days[0]).toMatchObject({ replies: 3, inputTokens: 160, outputTokens: 26 });
  });

  test("a user who is not an admin gets 403 forbidden; no token gets 401", async () => {
    const response = await agentd.api("/api/admin/usage", { token: aliceToken });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    expect((await agentd.api("/api/admin/usage")).status).toBe(401);
  });

  test("a bad range is 400 bad_request with a sentence saying what is wrong", async () => {
    for (const query of ["from=yesterday", "from=2026-03-02&to=2026-03-01", "from=2024-01-01&to=2026-01-01", "bogus=1"]) {
      const response = await agentd.api(`/api/admin/usage?${query}`, { token: adminToken });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("bad_request");
      expect(body.error.message.length).toBeGreaterThan(10);
    }
  });

  test("the default range is the 30 days up to today (UTC)", () => {
    expect(usageRange({}, new Date("2026-03-10T12:00:00Z"))).toEqual({ from: "2026-02-09", to: "2026-03-10" });
    expect(usageRange({ to: "2026-01-31" })).toEqual({ from: "2026-01-02", to: "2026-01-31" });
  });
});
