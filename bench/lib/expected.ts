/**
 * What a correct reply says. The fixture model answers every chat request with its demo reply,
 * which quotes the last user message, so each reply is checked against the exact text expected
 * for the message that asked it: a fast wrong (or someone else's) answer cannot count.
 */
import { demoReply, type RecordedRequest } from "../../test/fixtures/openai-fixture.ts";

/** How the fixture model process is paced (its CLI flags). */
export interface ModelPacing {
  ttftMs: number;
  tokens: number;
  gapMs: number;
}

export const DEFAULT_PACING: ModelPacing = { ttftMs: 100, tokens: 50, gapMs: 20 };
/** "The model answering at once": no waits, a short reply. */
export const INSTANT_PACING: ModelPacing = { ttftMs: 0, tokens: 5, gapMs: 0 };

/** Returns the exact reply text the fixture gives to `content` with `pacing`. */
export function expectedReplyFor(pacing: ModelPacing): (content: string) => string {
  const reply = demoReply({ ttftMs: pacing.ttftMs, gapMs: pacing.gapMs, tokens: pacing.tokens });
  return (content) => {
    const request = { body: { model: "fixture-model", messages: [{ role: "user", content }] } } as unknown as RecordedRequest;
    const text = reply(request).text;
    return Array.isArray(text) ? text.join("") : (text ?? "");
  };
}

/** The content client `client` sends as its `turn`-th message: unique, so each reply is told apart. */
export function messageContent(client: number, turn: number): string {
  return `bench client ${client} turn ${turn}: how does agentd stream replies?`;
}
