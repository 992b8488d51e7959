import { describe, expect, test } from "bun:test";
import { ToolCall } from "../../ui/src/components/tool-call.tsx";
import { chatHarness } from "./chat-harness.ts";
import { mount, settle } from "./dom.ts";

const atlas = { title: "Atlas", description: "A map of <b>every</b> library.", type: "app", tags: ["maps", "libraries"], links: ["https://example.org/atlas", "javascript:alert(1)"], showcase: true, extra: { n: 1 } };

async function confirmed(toolCallId: string) {
  const harness = chatHarness({ messages: [], epoch: "e1", lastSeq: 0 });
  await harness.chat.open("c1");
  const socket = harness.goLive();
  socket.receive({ type: "tool.start", seq: 1, messageId: "r1", toolCallId, name: "create_project", args: atlas });
  socket.receive({ type: "tool.confirm", seq: 2, messageId: "r1", toolCallId, name: "create_project", args: atlas });
  const view = await mount(<ToolCall toolCallId={toolCallId} chat={harness.chat} />);
  return { ...harness, socket, view };
}

describe("the tool confirmation card", () => {
  test("shows the arguments as text and safe links; Approve sends tool.approve; the card becomes Creating project…, then Created", async () => {
    const { view, socket } = await confirmed("call_1");
    expect(view.text("tool-confirm")).toContain("Create this project?");
    const fields = view.get("tool-confirm-args");
    const field = (name: string) => fields.querySelector(`[data-field=${name}] dd`)!;
    expect(field("title").textContent).toBe("Atlas");
    expect(field("description").textContent).toBe("A map of <b>every</b> library.");
    expect(fields.querySelector("b")).toBeNull();
    expect(field("type").textContent).toBe("app");
    expect([...field("tags").querySelectorAll(".tag")].map((tag) => tag.textContent)).toEqual(["maps", "libraries"]);
    const links = [...field("links").querySelectorAll("a")];
    expect(links.map((link) => [link.getAttribute("href"), link.getAttribute("rel")])).toEqual([["https://example.org/atlas", "noopener noreferrer nofollow"]]);
    expect(field("links").textContent).toContain("javascript:alert(1)");
    expect(field("showcase").textContent).toBe("Yes");
    expect(field("extra").textContent).toBe('{"n":1}');

    await view.click("tool-approve");
    expect(JSON.parse(socket.sent.at(-1)!)).toEqual({ type: "tool.approve", toolCallId: "call_1" });
    expect(view.get("tool-confirm").dataset.phase).toBe("approving");
    expect(view.find("tool-approve")).toBeNull();
    socket.receive({ type: "message.accepted", taskId: "t2", clientMessageId: "tool:call_1", messageId: "r2" });
    await settle();
    expect(view.text("tool-status-label")).toBe("Creating project…");
    socket.receive({ type: "tool.end", seq: 3, messageId: "r2", toolCallId: "call_1", name: "create_project", ok: true, summary: 'Created: {"title":"Atlas"}' });
    await settle();
    expect(view.text("tool-status-label")).toBe("Created");
    expect(view.text("tool-status")).toContain('Created: {"title":"Atlas"}');
    view.unmount();
  });

  test("Reject asks for an optional reason and sends it with tool.reject; Back returns to the question", async () => {
    const { view, socket } = await confirmed("call_2");
    await view.click("tool-reject");
    expect(view.find("tool-approve")).toBeNull();
    await view.click("tool-reject-back");
    expect(view.find("tool-reject-reason")).toBeNull();
    await view.click("tool-reject");
    await view.type("tool-reject-reason", "wrong title");
    await view.submit("tool-reject-confirm");
    expect(JSON.parse(socket.sent.at(-1)!)).toEqual({ type: "tool.reject", toolCallId: "call_2", reason: "wrong title" });
    socket.receive({ type: "message.accepted", taskId: "t3", clientMessageId: "tool:call_2", messageId: "r3" });
    await settle();
    expect(view.text("tool-status")).toContain("Rejected");
    expect(view.text("tool-status")).toContain("(wrong title)");
    view.unmount();
  });

  test("while offline the buttons are disabled; an answer refused by the server shows why", async () => {
    const { view, socket, server } = await confirmed("call_3");
    server.latest().serverClose(1006);
    await settle();
    expect((view.get("tool-approve") as HTMLButtonElement).disabled).toBe(true);
    socket.receive({ type: "error", code: "bad_request", message: "ignored: the socket is gone", retryable: false, clientMessageId: "tool:call_3" });
    view.unmount();

    const second = await confirmed("call_4");
    await second.view.click("tool-approve");
    second.socket.receive({ type: "error", code: "bad_request", message: "Nothing is waiting for your confirmation.", retryable: false, clientMessageId: "tool:call_4" });
    await settle();
    expect(second.view.text("tool-confirm-note")).toBe("Nothing is waiting for your confirmation.");
    expect(second.view.text("tool-confirm")).toContain("No longer waiting");
    second.view.unmount();
  });

  test("a failed tool shows its error; an unknown id renders nothing", async () => {
    const harness = chatHarness({ messages: [], epoch: "e1", lastSeq: 0 });
    await harness.chat.open("c1");
    const socket = harness.goLive();
    socket.receive({ type: "tool.start", seq: 1, messageId: "r1", toolCallId: "c9", name: "list_my_projects", args: {} });
    socket.receive({ type: "tool.end", seq: 2, messageId: "r1", toolCallId: "c9", name: "list_my_projects", ok: false, summary: "database locked" });
    const view = await mount(
      <div>
        <ToolCall toolCallId="c9" chat={harness.chat} />
        <ToolCall toolCallId="nope" chat={harness.chat} />
      </div>,
    );
    expect(view.text("tool-status")).toContain("Could not list your projects");
    expect(view.text("tool-status")).toContain("database locked");
    expect(view.root.querySelectorAll("[data-testid=tool-status]")).toHaveLength(1);
    view.unmount();
  });
});
