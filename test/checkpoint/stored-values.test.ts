import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { MessagesAnnotation, StateGraph } from "@langchain/langgraph";
import { JsonPlusSerializer, type SerializerProtocol } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "../../src/checkpoint/sqlite-saver.ts";
import { StoredValues, channelKey } from "../../src/checkpoint/stored-values.ts";
import { checkpointWith, loopMetadata, saverFiles, threadConfig } from "./helpers.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("StoredValues", () => {
  test("hands a value out once, and only for the version and bytes it was stored with", () => {
    const kept = new StoredValues(1_000);
    const value = { messages: ["hi"] };
    kept.remember("a", "1", bytes('{"m":1}'), value);
    expect(kept.take("a", "1", bytes('{"m":1}'))?.value).toBe(value);
    expect(kept.take("a", "1", bytes('{"m":1}'))).toBeUndefined();

    kept.remember("b", "1", bytes('{"m":1}'), value);
    expect(kept.take("b", "1", bytes('{"m":2}'))).toBeUndefined();
    kept.remember("c", "1", bytes('{"m":1}'), value);
    expect(kept.take("c", "2", bytes('{"m":1}'))).toBeUndefined();
    expect(kept.size).toBe(0);
  });

  test("keeps one value per channel, the newest stored", () => {
    const kept = new StoredValues(1_000);
    kept.remember(channelKey("t", "", "messages"), "1", bytes("[1]"), "step 1");
    kept.remember(channelKey("t", "", "messages"), "2", bytes("[1,2]"), "step 2");
    expect(kept.size).toBe(5);
    expect(kept.take(channelKey("t", "", "messages"), "2", bytes("[1,2]"))?.value).toBe("step 2");
  });

  test("keeps at most its budget of stored bytes, dropping the least recently stored", () => {
    const kept = new StoredValues(10);
    kept.remember("a", "1", bytes("aaaa"), "A");
    kept.remember("b", "1", bytes("bbbb"), "B");
    kept.remember("a", "2", bytes("aaaa"), "A again"); // stored again: now the newest
    kept.remember("c", "1", bytes("cccc"), "C");
    expect(kept.size).toBe(8);
    expect(kept.take("b", "1", bytes("bbbb"))).toBeUndefined();
    expect(kept.take("a", "2", bytes("aaaa"))?.value).toBe("A again");
    expect(kept.take("c", "1", bytes("cccc"))?.value).toBe("C");
    kept.remember("huge", "1", bytes("x".repeat(11)), "too big");
    expect(kept.size).toBe(0);
  });

  test("forgets a deleted thread's values, and only its", () => {
    const kept = new StoredValues(1_000);
    kept.remember(channelKey("t1", "", "messages"), "1", bytes("[1]"), "t1");
    kept.remember(channelKey("t10", "", "messages"), "1", bytes("[2]"), "t10");
    kept.forgetThread("t1");
    expect(kept.size).toBe(3);
    expect(kept.take(channelKey("t10", "", "messages"), "1", bytes("[2]"))?.value).toBe("t10");
  });
});

describe("SqliteSaver keeping stored values", () => {
  let files: ReturnType<typeof saverFiles>;
  const saver = (keepStoredBytes?: number, serde?: SerializerProtocol) => files.open(undefined, { keepStoredBytes, serde });
  beforeEach(() => {
    files = saverFiles();
  });
  afterEach(() => files.close());

  test("the next read gets the very value stored; a second read decodes its own copy", async () => {
    const kept = saver(1_000_000);
    const messages = [new HumanMessage({ id: "u1", content: "hello" }), new AIMessage({ id: "a1", content: "hi there" })];
    await kept.put(threadConfig("t"), checkpointWith({ messages }, { messages: 1 }), loopMetadata(0), { messages: 1 });

    const first = await kept.getTuple(threadConfig("t"));
    expect(first?.checkpoint.channel_values.messages).toBe(messages);
    const second = await kept.getTuple(threadConfig("t"));
    expect(second?.checkpoint.channel_values.messages).not.toBe(messages);
    expect(second?.checkpoint.channel_values.messages).toEqual(messages);
    expect((second?.checkpoint.channel_values.messages as AIMessage[])[1]).toBeInstanceOf(AIMessage);
  });

  test("a value written since by another connection is read from the file, not from what was kept", async () => {
    const kept = saver(1_000_000);
    const other = saver();
    await kept.put(threadConfig("t"), checkpointWith({ messages: ["mine"] }, { messages: 1 }), loopMetadata(0), { messages: 1 });
    // The thread is deleted and started again elsewhere: the same channel version, other content.
    await other.deleteThread("t");
    await other.put(threadConfig("t"), checkpointWith({ messages: ["theirs"] }, { messages: 1 }), loopMetadata(0), { messages: 1 });

    expect((await kept.getTuple(threadConfig("t")))?.checkpoint.channel_values.messages).toEqual(["theirs"]);
  });

  test("list() decodes and leaves the kept value to the next getTuple", async () => {
    const kept = saver(1_000_000);
    const value = ["kept"];
    await kept.put(threadConfig("t"), checkpointWith({ messages: value }, { messages: 1 }), loopMetadata(0), { messages: 1 });
    for await (const tuple of kept.list(threadConfig("t"))) expect(tuple.checkpoint.channel_values.messages).not.toBe(value);
    expect((await kept.getTuple(threadConfig("t")))?.checkpoint.channel_values.messages).toBe(value);
  });

  test("without keepStoredBytes every read decodes", async () => {
    const plain = saver();
    const value = ["plain"];
    await plain.put(threadConfig("t"), checkpointWith({ messages: value }, { messages: 1 }), loopMetadata(0), { messages: 1 });
    expect((await plain.getTuple(threadConfig("t")))?.checkpoint.channel_values.messages).not.toBe(value);
  });

  test("a graph's turns over a kept saver leave the same history as over a plain one", async () => {
    const build = (checkpointer: SqliteSaver) =>
      new StateGraph(MessagesAnnotation)
        .addNode("agent", (state) => ({ messages: [new AIMessage({ id: `a${state.messages.length}`, content: `reply to ${state.messages.at(-1)?.content}` })] }))
        .addEdge("__start__", "agent")
        .addEdge("agent", "__end__")
        .compile({ checkpointer })
        .withConfig({ durability: "exit" });
    /** Counts the message lists it decodes. */
    class CountingSerde extends JsonPlusSerializer {
      historiesDecoded = 0;
      override async loadsTyped(type: string, data: Uint8Array | string) {
        const value = await super.loadsTyped(type, data);
        if (Array.isArray(value)) this.historiesDecoded++;
        return value;
      }
    }
    const runTurns = async (checkpointer: SqliteSaver, thread: string) => {
      const graph = build(checkpointer);
      for (let turn = 0; turn < 4; turn++) await graph.invoke({ messages: [new HumanMessage({ id: `u${turn}`, content: `turn ${turn}` })] }, threadConfig(thread));
      return (await graph.getState(threadConfig(thread))).values.messages as AIMessage[];
    };
    const [keptSerde, plainSerde] = [new CountingSerde(), new CountingSerde()];
    const kept = await runTurns(saver(1_000_000, keptSerde), "kept");
    const plain = await runTurns(saver(undefined, plainSerde), "plain");
    // Each turn after the first, and the last read, start from the history: decoded, or not at all.
    expect(plainSerde.historiesDecoded).toBe(4);
    expect(keptSerde.historiesDecoded).toBe(0);
    expect(kept.map((message) => [message.id, message.content])).toEqual(plain.map((message) => [message.id, message.content]));
    expect(kept).toHaveLength(8);
  });
});
