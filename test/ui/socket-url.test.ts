import { describe, expect, test } from "bun:test";
import { chatSocketUrl } from "../../ui/src/socket-url.ts";

describe("chatSocketUrl", () => {
  test("the page's own host by default, wss under https, no token (the cookie goes along)", () => {
    expect(chatSocketUrl({ protocol: "http:", host: "127.0.0.1:8080" }, "c 1", undefined, "tok")).toBe("ws://127.0.0.1:8080/ws/chat/c%201");
    expect(chatSocketUrl({ protocol: "https:", host: "chat.example.com" }, "c1")).toBe("wss://chat.example.com/ws/chat/c1");
  });

  test("ui.websocket_url: under its base; another host gets ?token= since the SameSite=Strict cookie does not go there", () => {
    const page = { protocol: "https:", host: "app.example.com" };
    expect(chatSocketUrl(page, "c1", "wss://ws.example.com/agentd/", "tok")).toBe("wss://ws.example.com/agentd/ws/chat/c1?token=tok");
    expect(chatSocketUrl(page, "c1", "wss://ws.example.com", null)).toBe("wss://ws.example.com/ws/chat/c1");
    expect(chatSocketUrl(page, "c1", "wss://app.example.com", "tok")).toBe("wss://app.example.com/ws/chat/c1");
  });
});
