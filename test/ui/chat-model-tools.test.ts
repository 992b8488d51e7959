import { describe, expect, test } from "bun:test";
import { toolLabel } from "../../ui/src/models/tool-calls.ts";
import { assistant, chatHarness, user } from "./chat-harness.ts";

const atlas = { title: "Atlas", description: "A map.", type: "app", tags: ["maps"], links: ["https://example.org/atlas"], showcase: true };

const toolsOf = (chat: ReturnType<typeof chatHarness>["chat"], index: number) =>
  chat.messages.value[index]!.tools.value.map((id) => `${id}:${chat.tools.get(id)!.phase.value}`);

describe("chat model: tool calls", () => {
  test("tool.start shows what runs, tool.confirm a card; Approve sends tool.approve and the card follows the tool to Created", async () => {
    const { chat, goLive, toolEnds } = chatHarness({ messages: [], epoch: "e1", lastSeq: 0 });
    await chat.open("c1");
    const socket = goLive();
    socket.receive({ type: "message.delta", seq: 1, messageId: "r1", text: "Creating Atlas now." });
    socket.receive({ type: "tool.start", seq: 2, messageId: "r1", toolCallId: "call_1", name: "create_project", args: atlas });
    expect(toolsOf(chat, 0)).toEqual(["call_1:running"]);
    expect(toolLabel("create_project", "running")).toBe("Creating project…");
    socket.receive({ type: "tool.confirm", seq: 3, messageId: "r1", toolCallId: "call_1", name: "create_project", args: atlas });
    socket.receive({ type: "message.end", seq: 4, messageId: "r1", reason: "completed" });
    expect(toolsOf(chat, 0)).toEqual(["call_1:confirm"]);
    expect(chat.tools.get("call_1")!.args.value).toEqual(atlas);

    expect(chat.approve("call_1")).toBe(true);
    expect(JSON.parse(socket.sent.at(-1)!)).toEqual({ type: "tool.approve", toolCallId: "call_1" });
    expect(toolsOf(chat, 0)).toEqual(["call_1:approving"]);
    socket.receive({ type: "message.accepted", taskId: "t2", clientMessageId: "tool:call_1", messageId: "r2" });
    expect(toolsOf(chat, 0)).toEqual(["call_1:approved"]);
    // The tool's end comes with the continuation; the card it belongs to shows the result.
    socket.receive({ type: "tool.end", seq: 5, messageId: "r2", toolCallId: "call_1", name: "create_project", ok: true, summary: "Created: Atlas" });
    socket.receive({ type: "message.delta", seq: 6, messageId: "r2", text: "Atlas is live." });
    socket.receive({ type: "message.end", seq: 7, messageId: "r2", reason: "completed" });
    expect(toolsOf(chat, 0)).toEqual(["call_1:done"]);
    expect(chat.messages.value[1]!.tools.value).toEqual([]);
    expect(chat.tools.get("call_1")!.summary.value).toBe("Created: Atlas");
    expect(toolLabel("create_project", "done")).toBe("Created");
    expect(toolEnds).toEqual(["create_project:true"]);
  });

  test("Reject sends the reason; the call stays Rejected even though the tool 'succeeds' at saying no", async () => {
    const { chat, goLive } = chatHarness({ messages: [], epoch: "e1", lastSeq: 0 });
    await chat.open("c1");
    const socket = goLive();
    socket.receive({ type: "tool.confirm", seq: 1, messageId: "r1", toolCallId: "call_2", name: "create_project", args: atlas });
    expect(chat.reject("call_2", "  wrong title  ")).toBe(true);
    expect(JSON.parse(socket.sent.at(-1)!)).toEqual({ type: "tool.reject", toolCallId: "call_2", reason: "wrong title" });
    socket.receive({ type: "message.accepted", taskId: "t2", clientMessageId: "tool:call_2", messageId: "r2" });
    socket.receive({ type: "tool.end", seq: 2, messageId: "r2", toolCallId: "call_2", name: "create_project", ok: true, summary: "The member declined." });
    expect(toolsOf(chat, 0)).toEqual(["call_2:rejected"]);
    expect(chat.tools.get("call_2")!.note.value).toBe("wrong title");
    expect(toolLabel("create_project", "rejected")).toBe("Rejected");
  });

  test("an answer the server refuses (nothing waits any more) says so on the card; one that cannot go out leaves it waiting", async () => {
    const { chat, server, goLive } = chatHarness({ messages: [], epoch: "e1", lastSeq: 0 });
    await chat.open("c1");
    const socket = goLive();
    socket.receive({ type: "tool.confirm", seq: 1, messageId: "r1", toolCallId: "call_3", name: "update_project", args: { project_id: "p1" } });
    chat.approve("call_3");
    socket.receive({ type: "error", code: "bad_request", message: "Nothing is waiting.", retryable: false, clientMessageId: "tool:call_3" });
    expect(toolsOf(chat, 0)).toEqual(["call_3:expired"]);
    expect(chat.tools.get("call_3")!.note.value).toBe("Nothing is waiting.");

    socket.receive({ type: "tool.confirm", seq: 2, messageId: "r1", toolCallId: "call_4", name: "update_project", args: {} });
    server.latest().serverClose(1006);
    expect(chat.approve("call_4")).toBe(false);
    expect(chat.tools.get("call_4")!.phase.value).toBe("confirm");
    expect(chat.notice.value).toContain("Not connected");
  });

  test("a tool that fails says so with its error; an unknown tool gets a generic line", async () => {
    const { chat, goLive, toolEnds } = chatHarness({ messages: [], epoch: "e1", lastSeq: 0 });
    await chat.open("c1");
    const socket = goLive();
    socket.receive({ type: "tool.start", seq: 1, messageId: "r1", toolCallId: "c5", name: "list_my_projects", args: {} });
    socket.receive({ type: "tool.end", seq: 2, messageId: "r1", toolCallId: "c5", name: "list_my_projects", ok: false, summary: "boom" });
    socket.receive({ type: "tool.start", seq: 3, messageId: "r1", toolCallId: "c6", name: "shout", args: { text: "hi" } });
    expect(toolsOf(chat, 0)).toEqual(["c5:failed", "c6:running"]);
    expect(toolEnds).toEqual(["list_my_projects:false"]);
    expect(toolLabel("list_my_projects", "failed")).toBe("Could not list your projects");
    expect([toolLabel("shout", "running"), toolLabel("shout", "done"), toolLabel("shout", "failed"), toolLabel("shout", "confirm")]).toEqual([
      "Running shout…",
      "shout: done",
      "shout failed",
      "Run shout?",
    ]);
    expect([toolLabel("x", "rejecting"), toolLabel("x", "expired"), toolLabel("x", "approving")]).toEqual(["Rejecting…", "No longer waiting for an answer", "Running x…"]);
  });

  test("a reloaded page shows the card of a confirmation still waiting (pendingConfirmations), under the last reply or on its own", async () => {
    const pending = [{ toolCallId: "call_7", name: "create_project", args: atlas }];
    const under = chatHarness({ messages: [user("u", "make Atlas"), assistant("r1", "Creating it.")], pendingConfirmations: pending, epoch: "e1", lastSeq: 4 });
    await under.chat.open("c1");
    expect(toolsOf(under.chat, 1)).toEqual(["call_7:confirm"]);
    under.goLive("e1", 4);
    expect(under.chat.approve("call_7")).toBe(true);

    const alone = chatHarness({ messages: [user("u", "make Atlas")], pendingConfirmations: pending });
    await alone.chat.open("c1");
    expect(alone.rendered()).toEqual(["user:done:make Atlas", "assistant:done:"]);
    expect(toolsOf(alone.chat, 1)).toEqual(["call_7:confirm"]);
  });

  test("a replayed tool event never takes back an answer already given", async () => {
    const { chat, goLive } = chatHarness({ messages: [], epoch: "e1", lastSeq: 0 });
    await chat.open("c1");
    const socket = goLive();
    socket.receive({ type: "tool.confirm", seq: 1, messageId: "r1", toolCallId: "c8", name: "create_project", args: atlas });
    chat.approve("c8");
    socket.receive({ type: "session.reset", epoch: "e1", lastSeq: 0 });
    socket.receive({ type: "tool.start", seq: 1, messageId: "r1", toolCallId: "c8", name: "create_project", args: atlas });
    socket.receive({ type: "tool.confirm", seq: 2, messageId: "r1", toolCallId: "c8", name: "create_project", args: atlas });
    expect(toolsOf(chat, 0)).toEqual(["c8:approving"]);
  });

  test("a card answered in another tab ends as 'answered', with the tool's own words, approval or not", async () => {
    const { chat, goLive } = chatHarness({ messages: [], epoch: "e1", lastSeq: 0 });
    await chat.open("c1");
    const socket = goLive();
    socket.receive({ type: "tool.confirm", seq: 1, messageId: "r1", toolCallId: "c10", name: "create_project", args: atlas });
    socket.receive({ type: "tool.end", seq: 2, messageId: "r2", toolCallId: "c10", name: "create_project", ok: true, summary: "The member declined; no project was created." });
    expect(toolsOf(chat, 0)).toEqual(["c10:answered"]);
    expect(toolLabel("create_project", "answered")).toBe("Answered in another tab or device");
  });
});
