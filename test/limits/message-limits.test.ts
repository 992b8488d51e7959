import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import type { TestSocket } from "../helpers/ws.ts";

const HOUR = 3_600_000;
let agentd: TestAgentd;
let clock: FakeClock;

beforeAll(async () => {
  clock = new FakeClock();
  // Tokens outlive the hour this test moves through.
  agentd = await startTestAgentd({ workers: { threads: 0 }, auth: { token_ttl: "3h" } }, { clock });
});
afterAll(() => agentd.close());

async function send(socket: TestSocket, clientMessageId: string) {
  socket.send({ type: "message.send", clientMessageId, content: `message ${clientMessageId}` });
  return socket.nextMatching((frame) => (frame.type === "message.accepted" || frame.type === "error") && frame.clientMessageId === clientMessageId);
}

describe("limits.messages_per_hour (50 per user)", () => {
  test("the 51st message in an hour is refused with the time left, and the window resets", async () => {
    await agentd.addUser("chatty");
    const { token } = await agentd.login("chatty");
    const socket = await agentd.connect(await agentd.createConversation(token), token);
    const windowStart = clock.now();

    const first = await send(socket, "m1");
    expect(first).toMatchObject({ type: "message.accepted", rateLimit: { limit: 50, remaining: 49, resetAt: new Date(windowStart + HOUR).toISOString() } });
    await clock.advance(10 * 60_000);
    for (let i = 2; i <= 50; i++) {
      const accepted = await send(socket, `m${i}`);
      expect(accepted).toMatchObject({ type: "message.accepted", rateLimit: { remaining: 50 - i } });
    }

    const refused = await send(socket, "m51");
    expect(refused).toMatchObject({ type: "error", code: "rate_limited", retryable: true, clientMessageId: "m51", retryAfterMs: 50 * 60_000 });
    expect((refused as { message: string }).message).toContain("too many messages");

    // A repeat of an accepted message is answered as before, not counted and not refused.
    const repeat = await send(socket, "m7");
    expect(repeat).toMatchObject({ type: "message.accepted", rateLimit: { remaining: 0 } });

    await clock.advance(50 * 60_000 - 1);
    expect(await send(socket, "m52")).toMatchObject({ type: "error", code: "rate_limited", retryAfterMs: 1 });
    await clock.advance(1);
    expect(await send(socket, "m53")).toMatchObject({ type: "message.accepted", rateLimit: { remaining: 49, resetAt: new Date(clock.now() + HOUR).toISOString() } });

    const hits = agentd.securityEvents().filter((event) => event.kind === "rate_limit.hit" && event.ruleId === "messages_per_hour");
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatchObject({ userId: expect.any(String), ip: "127.0.0.1" });
    expect(JSON.stringify(hits)).not.toContain("message m5");
    socket.close();
  });

  test("users are counted apart, and a refused user's socket goes on serving", async () => {
    await agentd.addUser("quiet");
    const { token } = await agentd.login("quiet");
    const socket = await agentd.connect(await agentd.createConversation(token), token);
    const { end } = await sendAndCollect(socket, "hello");
    expect(end.reason).toBe("completed");
    socket.close();
  });
});
