import { MemoryPubSub } from "../../src/pubsub/memory.ts";
import { pubsubSuite } from "./pubsub.suite.ts";

pubsubSuite({ name: "memory", create: async () => new MemoryPubSub(), destroy: (pubsub) => pubsub.close(), multiNode: false });
