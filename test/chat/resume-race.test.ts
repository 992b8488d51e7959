import type { GuardReportService } from "../../src/guard/report-service.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import { describe, expect, test } from "bun:test";
import type { ChatService } from "../../src/chat/chat-service.ts";
import { ChatSession } from "../../src/chat/chat-session.ts";
import type { Connection, SendStatus } from "../../src/chat/connection.ts";
import type { EventLog } from "../../src/events/event-log.ts";
import { MemoryEventLog } from "../../src/events/memory.ts";
import type { ServerMessage } from "../../src/protocol/index.ts";
import { MemoryPubSub } from "../../src/pubsub/memory.ts";
import { conversationChannel } from "../../src/pubsub/pubsub.ts";
import { FakeClock } from "../helpers/clock.ts";

const user = { id: "u1", username: "u", passwordHash: "", role: "user" as const, active: true, createdAt: "" };
const conversation = { id: "c1", ownerId: "u1", title: "t", agent: "assistant", createdAt: "", updatedAt: "" };
const limits = ConfigSchema.parse({ limits: { max_message_chars: 100, max_frame_bytes: 1000 } }).limits;

function recordingConnection() {
  const frames: ServerMessage[] = [];
  const closes: number[] = [];
  const connection: Connection = {
    send: (message): SendStatus => (frames.push(message), "sent"),
    close: (code) => void closes.push(code),
    bufferedAmount: () => 0,
  };
  return { connection, frames, closes };
}

/** A real memory log whose `readAfter` answers only when the test says so. */
function gatedLog(inner: EventLog, readFirst: boolean) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reading!: () => void;
  const started = new Promise<void>((resolve) => (reading = resolve));
  const log: EventLog = Object.create(inner);
  log.readAfter = async (conversationId, afterSeq) => {
    reading();
    if (readFirst) {
      const result = await inner.readAfter(conversationId, afterSeq);
      await gate;
      return result;
    }
    await gate;
    return inner.readAfter(conversationId, afterSeq);
  };
  return { log, open, started };
}

async function setup(readFirst: boolean) {
  const inner = new MemoryEventLog({ maxPerConversation: 100, maxAgeMs: 60_000, clock: new FakeClock() });
  const pubsub = new MemoryPubSub();
  const publish = async (text: string) => pubsub.publish(conversationChannel("c1"), await inner.append("c1", { type: "message.delta", messageId: "m", text }));
  for (const text of ["a", "b", "c"]) await publish(text);
  const { log, open, started } = gatedLog(inner, readFirst);
  const { connection, frames } = recordingConnection();
  const session = new ChatSession(connection, user, conversation, { chat: null as unknown as ChatService, guardReports: null as unknown as GuardReportService, pubsub, events: log, limits });
  return { inner, pubsub, publish, open, started, frames, session, epoch: await inner.epoch("c1") };
}

const seqs = (frames: ServerMessage[]) => frames.flatMap((frame) => ("seq" in frame ? [frame.seq] : []));

describe("resume is atomic: a live event racing the replay", () => {
  for (const readFirst of [false, true]) {
    test(`is sent once, after the replay (live event ${readFirst ? "after" : "before"} the log read)`, async () => {
      const { publish, open, started, frames, session, epoch } = await setup(readFirst);
      const opening = session.open({ lastSeq: 1, epoch });
      await started;
      await publish("d"); // seq 4, published while the replay is being read
      open();
      await opening;
      await publish("e");
      expect(frames[0]).toMatchObject({ type: "session.ready", lastSeq: 1 });
      expect(seqs(frames)).toEqual([2, 3, 4, 5]);
      await session.close();
    });
  }

  test("a gap in live events (a lost publish) is filled from the log", async () => {
    const { inner, pubsub, open, frames, session, epoch } = await setup(false);
    open();
    await session.open({ lastSeq: 3, epoch });
    await inner.append("c1", { type: "message.delta", messageId: "m", text: "lost" }); // seq 4, never published
    await pubsub.publish(conversationChannel("c1"), await inner.append("c1", { type: "message.delta", messageId: "m", text: "f" }));
    await Bun.sleep(0);
    expect(seqs(frames)).toEqual([4, 5]);
    await session.close();
  });
});
