import { MemoryTaskQueue } from "../../src/queue/memory.ts";
import { queueSuite } from "./queue.suite.ts";

queueSuite({ name: "memory", create: (options) => new MemoryTaskQueue(options) });
