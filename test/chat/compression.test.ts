import { afterAll, describe, expect, test } from "bun:test";
import { sendAndCollect, startTestAgentd, type TestAgentd } from "../helpers/agentd.ts";

const started: TestAgentd[] = [];
afterAll(() => Promise.all(started.map((agentd) => agentd.close())));

/** A socket on a fresh conversation of a fresh server; Bun's client offers permessage-deflate. */
async function socketOn(compression: boolean | undefined) {
  const agentd = await startTestAgentd(compression === undefined ? {} : { server: { websocket_compression: compression } });
  started.push(agentd);
  await agentd.addUser("carol");
  const { token } = await agentd.login("carol");
  return agentd.connect(await agentd.createConversation(token), token);
}

describe("server.websocket_compression", () => {
  test("off by default: a client that offers permessage-deflate gets uncompressed frames", async () => {
    const socket = await socketOn(undefined);
    expect(socket.ws.extensions).toBe("");
    const reply = await sendAndCollect(socket, "plain");
    expect(reply.text).toBe("echo: plain");
    socket.close();
  });

  test("on: permessage-deflate is negotiated and a reply streams intact through it", async () => {
    const socket = await socketOn(true);
    expect(socket.ws.extensions).toContain("permessage-deflate");
    const reply = await sendAndCollect(socket, "squeeze this reply please");
    expect(reply.end.reason).toBe("completed");
    expect(reply.text).toBe("echo: squeeze this reply please");
    socket.close();
  });
});
