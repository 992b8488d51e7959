/** What the orchestrator asks a load generator process to do (passed as JSON on its command line). */
import type { ModelPacing } from "../lib/expected.ts";
import type { PoolUser } from "./agentd-session.ts";

interface Timing {
  clients: number;
  warmupMs: number;
  windowMs: number;
  drainMs: number;
}

/** Closed-loop chats against agentd (`agentd`), the fixture model directly (`limit`). */
export interface StreamJob extends Timing {
  kind: "agentd" | "limit";
  /** agentd's base URL, or the model's `/v1` URL for `limit`. */
  url: string;
  users: PoolUser[];
  pacing: ModelPacing;
  serverPid?: number;
}

/** Closed-loop frames against a bare WebSocket echo server. */
export interface EchoJob extends Timing {
  kind: "echo";
  url: string;
  serverPid: number;
}

/** Many open, authenticated, silent sockets, opened in steps. */
export interface IdleJob {
  kind: "idle";
  url: string;
  users: PoolUser[];
  /** Socket counts at which memory is read, ascending; the last is the total. */
  steps: number[];
  /** How long the sockets stay open after the last step (pings keep flowing). */
  holdMs: number;
  serverPid: number;
}

/** Messages arriving at a fixed rate (open loop), spread over `clients` sockets. */
export interface BurstJob {
  kind: "burst";
  url: string;
  users: PoolUser[];
  clients: number;
  /** Messages per second offered. */
  rate: number;
  /** A first burst at the same rate, answered in full before the measured one (JIT, caches); excluded. */
  warmupMs: number;
  windowMs: number;
  drainMs: number;
  pacing: ModelPacing;
  serverPid: number;
}

export type Job = StreamJob | EchoJob | IdleJob | BurstJob;
