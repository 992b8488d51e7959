#!/usr/bin/env bun
/**
 * The `cpu` scenario's yardstick: the replies agentd produces, produced instead by a bare in-process
 * LangGraph + ChatOpenAI loop (no server, no sockets, no storage but LangGraph's MemorySaver), with
 * the same closed-loop clients and the same fixture model. Its own CPU time per delta is the
 * denominator of agentd's.
 *
 *   bun bench/servers/bare-loop.ts '{"modelUrl":..., "clients":..., "warmupMs":..., "windowMs":..., "drainMs":..., "pacing":{...}}'
 *
 * The result is the last line on stdout, as JSON (the same shape as a load generator's).
 */
import { AIMessageChunk, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { MemorySaver, MessagesAnnotation, StateGraph } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";
import { runStreamLoop, type TurnDriver } from "../loadgen/closed-loop.ts";
import type { StreamJob } from "../loadgen/jobs.ts";
import { summarize, type Turn } from "../loadgen/turns.ts";

const SYSTEM = "You are a helpful assistant. Answer clearly and concisely; use Markdown where it helps.";
const job = JSON.parse(process.argv[2]!) as Omit<StreamJob, "kind" | "users"> & { modelUrl: string };

// Count tokens locally: the stock estimate downloads tiktoken ranks, and the benchmark stays offline.
const countLocally = async (text: unknown) => Math.ceil(String(text).length / 4);
class OfflineChatOpenAI extends ChatOpenAI {
  constructor(fields: ConstructorParameters<typeof ChatOpenAI>[0]) {
    super(fields);
    for (const inner of [this.completions, this.responses]) inner.getNumTokens = countLocally;
  }
  override getNumTokens = countLocally;
}
const model = new OfflineChatOpenAI({ model: "fixture-model", apiKey: "bench-key", streaming: true, streamUsage: true, maxRetries: 0, configuration: { baseURL: job.modelUrl } });

const graph = new StateGraph(MessagesAnnotation)
  .addNode("agent", async (state, config) => ({ messages: [await model.invoke([new SystemMessage(SYSTEM), ...state.messages], config)] }))
  .addEdge("__start__", "agent")
  .addEdge("agent", "__end__")
  .compile({ checkpointer: new MemorySaver() });

class BareDriver implements TurnDriver {
  readonly alive = true;
  constructor(private readonly threadId: string) {}

  run(turn: Turn, done: () => void): void {
    turn.sentAt = performance.now();
    void (async () => {
      try {
        const stream = await graph.stream({ messages: [new HumanMessage(turn.content)] }, { configurable: { thread_id: this.threadId }, streamMode: "messages" });
        for await (const [message] of stream) {
          if (!AIMessageChunk.isInstance(message) || typeof message.content !== "string" || message.content === "") continue;
          turn.deltaAt.push(performance.now());
          turn.deltaChars.push(message.content.length);
          turn.text += message.content;
        }
        turn.outcome = "completed";
      } catch (error) {
        turn.outcome = `failed:${error instanceof Error ? error.name : "error"}`;
      }
      turn.endAt = performance.now();
      done();
    })();
  }
}

const drivers = Array.from({ length: job.clients }, (_, i) => new BareDriver(`bare-${i}`));
const { turns, window } = await runStreamLoop(drivers, job, process.pid);
process.stdout.write(`${JSON.stringify(summarize(turns, window, job.clients, {}, job.pacing.tokens))}\n`);
process.exit(0);
