#!/usr/bin/env bun
/**
 * The transport limit for `bun run bench ws-raw`: a bare Bun WebSocket server that sends every text
 * frame straight back. Prints `{"url":"ws://127.0.0.1:<port>"}` once listening; runs until SIGTERM.
 */
const compression = process.argv.includes("--compression");
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: (request, server) => (server.upgrade(request) ? undefined : new Response("WebSocket only", { status: 400 })),
  websocket: {
    perMessageDeflate: compression,
    message: (ws, message) => void ws.send(message),
  },
});
console.log(JSON.stringify({ url: `ws://127.0.0.1:${server.port}` }));
process.on("SIGTERM", () => {
  void server.stop(true);
  process.exit(0);
});
