import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import type { ConversationWithMessages, ServerMessage } from "../../src/protocol/index.ts";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { AWS_KEY, GITHUB_TOKEN } from "./redaction-cases.ts";

// What is stored is what was shown: through a real server, a worker thread and the fixture model.
// (With workers.threads: 0 the same runTask and runtime run on the main thread.)
describe("output guard through the server, on a worker thread", () => {
  let agentd: TestAgentd;
  let token: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    const logger = createLogger("info", (line) => void logLines.push(line));
    agentd = await startTestAgentd({ workers: { threads: 1 } }, { logger });
    await agentd.addUser("rita");
    ({ token } = await agentd.login("rita"));
  });
  afterAll(() => agentd.close());

  test("secrets split over 2 and 3 deltas are redacted in the stream, in history and in the next turn's model input", async () => {
    const dbPath = `${agentd.dataDir}/agentd.db`;
    agentd.model.script({
      text: [
        "Your AWS key is AKIAIOSF", // split over 2 deltas
        "ODNN7EXAMPLE and the token ",
        GITHUB_TOKEN.slice(0, 14), // split over 3 deltas
        GITHUB_TOKEN.slice(14, 27),
        `${GITHUB_TOKEN.slice(27)}; the database is ${dbPath.slice(0, 9)}`,
        `${dbPath.slice(9)}. Done.`,
      ],
    });
    const id = await agentd.createConversation(token);
    const socket = await agentd.connect(id, token);
    const reply = await sendAndCollect(socket, "show me the config");
    const shown = "Your AWS key is [REDACTED:aws_access_key] and the token [REDACTED:github_token]; the database is [REDACTED:path]. Done.";
    expect(reply.end.reason).toBe("completed");
    expect(reply.text).toBe(shown);
    const deltas = socket.frames.filter((frame): frame is Extract<ServerMessage, { type: "message.delta" }> => frame.type === "message.delta");
    for (const fragment of ["AKIA", "ODNN7", "ghp_", GITHUB_TOKEN.slice(14, 27), agentd.dataDir]) {
      expect(deltas.some((delta) => delta.text.includes(fragment))).toBe(false);
    }

    const stored = (await (await agentd.api(`/api/conversations/${id}`, { token })).json()) as ConversationWithMessages;
    expect(stored.messages.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: "user", content: "show me the config" },
      { role: "assistant", content: shown },
    ]);

    const before = agentd.model.chatRequests.length;
    agentd.model.script({ text: ["Noted."] });
    await sendAndCollect(socket, "thanks");
    const request = agentd.model.chatRequests[before]!;
    expect(request.body?.messages?.find((message) => message.role === "assistant")?.content).toBe(shown);
    const sent = JSON.stringify(request.body);
    for (const secret of [AWS_KEY, GITHUB_TOKEN, dbPath]) expect(sent).not.toContain(secret);
    socket.close();

    // Counted and logged per kind, with no secret in any log line.
    const logged = logLines.map((line) => JSON.parse(line)).find((line) => line.msg === "secrets redacted from model output");
    expect(logged).toMatchObject({ level: "warn", conversationId: id, redactions: { aws_access_key: 1, github_token: 1, path: 1 } });
    for (const secret of [AWS_KEY, GITHUB_TOKEN, "AKIAIOSF", dbPath]) expect(logLines.join("\n")).not.toContain(secret);
  });
});
