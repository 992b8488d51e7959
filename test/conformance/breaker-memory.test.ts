import { MemoryCircuitBreakers } from "../../src/breaker/memory.ts";
import { breakerSuite } from "./breaker.suite.ts";

breakerSuite({ name: "memory", create: (options, clock) => new MemoryCircuitBreakers(options, clock) });
