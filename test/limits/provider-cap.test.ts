import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

for (const threads of [1, 0]) {
  describe(`limits.llm_requests_per_minute with workers.threads: ${threads}`, () => {
    let agentd: TestAgentd;
    let clock: FakeClock;
    beforeAll(async () => {
      clock = new FakeClock();
      agentd = await startTestAgentd({ workers: { threads }, limits: { llm_requests_per_minute: 2 } }, { clock });
    });
    afterAll(() => agentd.close());

    test("provider calls over the cap wait for the next minute instead of failing; every user counts together", async () => {
      const sockets = [];
      for (const name of ["a", "b", "c"]) {
        await agentd.addUser(name);
        const { token } = await agentd.login(name);
        sockets.push(await agentd.connect(await agentd.createConversation(token), token));
      }
      const [first, second] = await Promise.all([sendAndCollect(sockets[0]!, "one"), sendAndCollect(sockets[1]!, "two")]);
      expect([first.end.reason, second.end.reason]).toEqual(["completed", "completed"]);
      expect(agentd.model.chatRequests).toHaveLength(2);

      const third = sendAndCollect(sockets[2]!, "three");
      while (!agentd.securityEvents().some((event) => event.ruleId === "llm_requests_per_minute")) await Bun.sleep(2);
      expect(agentd.model.chatRequests).toHaveLength(2);
      await clock.advance(60_000);
      expect((await third).end.reason).toBe("completed");
      expect(agentd.model.chatRequests).toHaveLength(3);
      for (const socket of sockets) socket.close();
    });
  });
}
