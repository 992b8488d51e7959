/**
 * A recording proxy that refuses every connection. The test preload points HTTP(S)_PROXY at it with
 * NO_PROXY for loopback, so any attempt of agentd (any thread, or a child process that inherits the
 * environment) to reach a host other than 127.0.0.1 / localhost is recorded here and fails at once.
 */
export interface EgressRecorder {
  port: number;
  url: string;
  /** The request lines seen, e.g. `CONNECT tiktoken.pages.dev:443 HTTP/1.1`. */
  attempts: string[];
  stop(): void;
}

export function startEgressRecorder(): EgressRecorder {
  const attempts: string[] = [];
  const listener = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket, data) {
        attempts.push(data.toString("latin1").split("\r\n")[0] ?? "");
        socket.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket.end();
      },
    },
  });
  return { port: listener.port, url: `http://127.0.0.1:${listener.port}`, attempts, stop: () => listener.stop(true) };
}

export const LOOPBACK_NO_PROXY = "127.0.0.1,localhost,::1,[::1]";
