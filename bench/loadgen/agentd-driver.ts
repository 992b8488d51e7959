/** A closed-loop chat client over agentd's WebSocket protocol: send, then follow accepted → deltas → end. */
import type { TurnDriver } from "./closed-loop.ts";
import { chatSocketUrl, type ClientSeat, type CloseCodes } from "./agentd-session.ts";
import type { Turn } from "./turns.ts";

interface Current {
  turn: Turn;
  clientMessageId: string;
  messageId?: string;
  done: () => void;
}

export class AgentdDriver implements TurnDriver {
  alive = true;
  private current?: Current;
  private ending = false;

  private constructor(
    private readonly ws: WebSocket,
    private readonly closeCodes: CloseCodes,
  ) {}

  /** Opens the socket and resolves once `session.ready` arrived; rejects on a close before it. */
  static open(baseUrl: string, seat: ClientSeat, closeCodes: CloseCodes): Promise<AgentdDriver> {
    const ws = new WebSocket(chatSocketUrl(baseUrl, seat.conversationId), {
      headers: { authorization: `Bearer ${seat.token}` },
    } as unknown as string[]);
    const driver = new AgentdDriver(ws, closeCodes);
    return new Promise((resolve, reject) => {
      let ready = false;
      ws.onmessage = (event) => {
        const frame = JSON.parse(String(event.data));
        if (!ready && frame.type === "session.ready") {
          ready = true;
          resolve(driver);
        } else driver.onFrame(frame);
      };
      ws.onclose = (event) => {
        driver.onClose(event.code);
        if (!ready) reject(new Error(`socket closed before session.ready: ${event.code} ${event.reason}`));
      };
    });
  }

  run(turn: Turn, done: () => void): void {
    const clientMessageId = crypto.randomUUID();
    this.current = { turn, clientMessageId, done };
    turn.sentAt = performance.now();
    this.ws.send(JSON.stringify({ type: "message.send", clientMessageId, content: turn.content }));
  }

  /** Closes the socket on purpose (not counted as an unexpected close). */
  close(): void {
    this.ending = true;
    this.ws.close(1000);
  }

  private onFrame(frame: { type: string; [key: string]: unknown }): void {
    const current = this.current;
    if (!current) return;
    const now = performance.now();
    switch (frame.type) {
      case "message.accepted":
        if (frame.clientMessageId !== current.clientMessageId) return;
        current.turn.acceptedAt = now;
        current.messageId = frame.messageId as string;
        return;
      case "message.delta":
        if (frame.messageId !== current.messageId) return;
        current.turn.deltaAt.push(now);
        current.turn.deltaChars.push((frame.text as string).length);
        current.turn.text += frame.text as string;
        return;
      case "message.end": {
        if (frame.messageId !== current.messageId) return;
        const error = frame.error as { code?: string } | undefined;
        return this.finish(frame.reason === "completed" ? "completed" : `end:${frame.reason}${error?.code ? `:${error.code}` : ""}`, now);
      }
      case "error":
        if (frame.clientMessageId === current.clientMessageId) this.finish(`error:${frame.code}`, now);
    }
  }

  private onClose(code: number): void {
    this.alive = false;
    if (this.ending) return;
    this.closeCodes.add(code);
    if (this.current) this.finish(`closed:${code}`, performance.now());
  }

  private finish(outcome: string, at: number): void {
    const current = this.current!;
    this.current = undefined;
    current.turn.outcome = outcome;
    current.turn.endAt = at;
    current.done();
  }
}
