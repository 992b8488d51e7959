import { createMemoryRateLimiter } from "../../src/limits/memory.ts";
import { rateLimiterSuite } from "../conformance/rate-limiter.suite.ts";

rateLimiterSuite({ name: "memory", create: (rule, clock) => createMemoryRateLimiter(rule, clock) });
