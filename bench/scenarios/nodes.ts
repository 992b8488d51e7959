/**
 * `nodes`: cross-node delivery. Clients talk to node A; replies are computed on node B (A runs at
 * most one reply at a time, B takes the rest from the shared Redis queue) and reach the clients
 * through Redis pub/sub. Measured against one node on the same Redis and Postgres in the same run,
 * so the difference is the cross-node hop. Needs Redis (127.0.0.1:6379) and PostgreSQL
 * (127.0.0.1:5432, database `test`); each contender gets its own key prefix and schema.
 */
import postgres from "postgres";
import type { Harness, ScenarioReport } from "../lib/harness.ts";
import { runCommand } from "../lib/spawn.ts";
import { BENCH_CONFIG, BINARY, startAgentd, type UserPool } from "../lib/stack.ts";
import { medianTarget } from "../lib/targets.ts";
import { compareRuns, pairedValues, streamProblems, streamTable, summarizeRuns, type Contender } from "./compare.ts";
import type { StreamResult } from "../loadgen/turns.ts";

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const SECRET = "bench-jwt-secret-shared-by-every-node-0123456789";

/** The env of every node of one cluster: its own schema and key prefix, one JWT secret. */
function clusterEnv(name: string): Record<string, string> {
  return {
    AGENTD_POSTGRES__URL: POSTGRES_URL,
    AGENTD_POSTGRES__SCHEMA: name,
    AGENTD_REDIS__URL: REDIS_URL,
    AGENTD_REDIS__KEY_PREFIX: `${name}:`,
    AGENTD_AUTH__JWT_SECRET: SECRET,
  };
}

async function clusterUsers(harness: Harness, env: Record<string, string>, pool: UserPool): Promise<void> {
  for (const user of pool.users) {
    await runCommand("agentd user add", [BINARY, "user", "add", user.username, "--password-stdin", "--config", BENCH_CONFIG], { env, stdin: `${user.password}\n` });
  }
  harness.log(`created ${pool.users.length} users in schema ${env.AGENTD_POSTGRES__SCHEMA}`);
}

async function cluster(harness: Harness, label: string, nodes: 1 | 2): Promise<Contender> {
  const pacing = harness.options.pacing;
  const [fixture, pool] = await Promise.all([harness.fixture(pacing), harness.users()]);
  const name = `bench_${nodes}n_${Date.now().toString(36)}`;
  const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  harness.own({
    async stop() {
      await sql.unsafe(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      await sql.end();
    },
  });
  const env = { ...harness.options.agentdEnv, ...clusterEnv(name) };
  await runCommand("agentd migrate", [BINARY, "migrate", "--config", BENCH_CONFIG], { env });
  await clusterUsers(harness, env, pool);
  // Node A holds the clients' sockets and runs at most one reply itself; node B computes the rest.
  const a = harness.own(await startAgentd({ name: `${label} A`, modelUrl: fixture.url, pool, env: { ...env, ...(nodes === 2 ? { AGENTD_WORKERS__CONCURRENCY: "1" } : {}) } }));
  if (nodes === 2) harness.own(await startAgentd({ name: `${label} B`, modelUrl: fixture.url, pool, env }));
  const { warmupMs, windowMs, drainMs } = harness.options;
  return { label, measure: (clients) => harness.loadgen({ kind: "agentd", url: a.url, users: pool.users, clients, warmupMs, windowMs, drainMs, pacing, serverPid: a.pid }) };
}

/** Target: cross-node delivery adds ≤ 5 ms at p99 per delta (delta gap p99 and first delta p99, two nodes minus one). */
export async function nodesScenario(harness: Harness): Promise<ScenarioReport> {
  const contenders = [await cluster(harness, "1 node (Redis + Postgres)", 1), await cluster(harness, "2 nodes (reply on B, client on A)", 2)];
  const levels = harness.options.clients ?? (harness.options.smoke ? [10] : [10, 100]);
  const results = await compareRuns(harness, contenders, levels);
  const summary = summarizeRuns(results);
  const targets = levels.flatMap((clients) => {
    const one = results[contenders[0]!.label]?.[clients];
    const two = results[contenders[1]!.label]?.[clients];
    if (!one || !two) return [];
    const added = (pick: (result: StreamResult) => number) => pairedValues(two, one, (t, o) => pick(t) - pick(o));
    const reported = () => true;
    return [
      medianTarget({ name: `cross-node added delta gap p50 @${clients}`, target: "reported", runs: added((r) => r.deltaGapMs.p50), unit: " ms", meets: reported }),
      medianTarget({ name: `cross-node added delta gap p99 @${clients}`, target: "≤ 5 ms", runs: added((r) => r.deltaGapMs.p99), unit: " ms", meets: (ms) => ms <= 5 }),
      medianTarget({ name: `cross-node added first delta p99 @${clients}`, target: "reported", runs: added((r) => r.firstDeltaMs.p99), unit: " ms", meets: reported }),
    ];
  });
  return { windows: [results], summary, targets, table: streamTable(summary), problems: streamProblems(results) };
}
