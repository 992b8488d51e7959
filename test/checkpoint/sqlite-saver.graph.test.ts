import { afterEach, beforeEach, expect, test } from "bun:test";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { SqliteSaver } from "../../src/checkpoint/sqlite-saver.ts";
import { tempDirectory } from "./helpers.ts";

// End to end: a real LangGraph graph keeps its state in the file across runs and reopenings.

const State = Annotation.Root({
  log: Annotation<string[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
  turns: Annotation<number>({ reducer: (_, right) => right, default: () => 0 }),
});

function buildGraph(checkpointer: SqliteSaver) {
  return new StateGraph(State)
    .addNode("echo", (state) => ({ log: [`echo ${state.log.at(-1)}`], turns: state.turns + 1 }))
    .addEdge(START, "echo")
    .addEdge("echo", END)
    .compile({ checkpointer });
}

let files: ReturnType<typeof tempDirectory>;
beforeEach(() => {
  files = tempDirectory();
});
afterEach(() => files.remove());

test("a compiled graph resumes its thread from the file after the saver is reopened", async () => {
  const config = { configurable: { thread_id: "conversation-1" } };
  const first = SqliteSaver.fromPath(files.path("graph.sqlite"));
  await buildGraph(first).invoke({ log: ["hello"] }, config);
  first.db.close();

  const reopened = SqliteSaver.fromPath(files.path("graph.sqlite"));
  try {
    const graph = buildGraph(reopened);
    const result = await graph.invoke({ log: ["again"] }, config);
    expect(result).toEqual({ log: ["hello", "echo hello", "again", "echo again"], turns: 2 });

    const state = await graph.getState(config);
    expect(state.values).toEqual(result);
    const history = [];
    for await (const snapshot of graph.getStateHistory(config)) history.push(snapshot.metadata?.source);
    // Two runs, each: input checkpoint, then the loop checkpoints before and after "echo".
    expect(history).toEqual(["loop", "loop", "input", "loop", "loop", "input"]);
  } finally {
    reopened.db.close();
  }
});
