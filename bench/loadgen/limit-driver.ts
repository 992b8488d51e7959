/**
 * The denominator: the same closed-loop client streaming its replies straight from the fixture model
 * over HTTP (OpenAI Chat Completions SSE), with the history a conversation would send.
 */
import type { TurnDriver } from "./closed-loop.ts";
import type { Turn } from "./turns.ts";

const SYSTEM = "You are a helpful assistant. Answer clearly and concisely; use Markdown where it helps.";

export class LimitDriver implements TurnDriver {
  readonly alive = true;
  private readonly history: { role: string; content: string }[] = [{ role: "system", content: SYSTEM }];

  constructor(private readonly modelUrl: string) {}

  run(turn: Turn, done: () => void): void {
    this.history.push({ role: "user", content: turn.content });
    turn.sentAt = performance.now();
    this.stream(turn).then(
      (outcome) => {
        turn.outcome = outcome;
        turn.endAt = performance.now();
        this.history.push({ role: "assistant", content: turn.text });
        done();
      },
      (error) => {
        turn.outcome = `http:${error instanceof Error ? error.name : "error"}`;
        turn.endAt = performance.now();
        done();
      },
    );
  }

  private async stream(turn: Turn): Promise<string> {
    const response = await fetch(`${this.modelUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer bench" },
      body: JSON.stringify({ model: "fixture-model", stream: true, stream_options: { include_usage: true }, messages: this.history }),
    });
    if (!response.ok || !response.body) return `http:${response.status}`;
    const decoder = new TextDecoder();
    let buffer = "";
    let finished = false;
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        if (!event.startsWith("data: ")) continue;
        const data = event.slice(6);
        if (data === "[DONE]") {
          finished = true;
          continue;
        }
        const content = JSON.parse(data).choices?.[0]?.delta?.content;
        if (typeof content === "string" && content !== "") {
          turn.deltaAt.push(performance.now());
          turn.deltaChars.push(content.length);
          turn.text += content;
        }
      }
    }
    return finished ? "completed" : "http:truncated";
  }
}
