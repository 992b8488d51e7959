/**
 * The real Redis and Postgres the multi-node tests talk to. `requireRedis()` / `requirePostgres()`
 * resolve a handle when the server answers; when it does not, they warn loudly (naming what is
 * missing and how to start it) and resolve null, so the caller skips its suite — unless
 * `REQUIRE_SERVICES=1` (CI), where they throw and the file fails.
 *
 * Isolation: every Redis handle has its own key prefix (and deletes its keys in `cleanup()`), every
 * Postgres schema from `createSchema()` is unique and dropped by `dropSchema()` / `close()`.
 */
import Redis from "ioredis";
import postgres from "postgres";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
/**
 * Commits in tests do not wait for the disk (`synchronous_commit=off`, a per-connection setting
 * passed in the URL): the suites check behaviour, not the crash durability of the test server,
 * and it halves their time.
 */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test?options=-c%20synchronous_commit%3Doff";

const required = () => process.env.REQUIRE_SERVICES === "1";

export interface RedisService {
  url: string;
  /** A key prefix no other test uses, e.g. `test:1a2b3c4d:`. */
  prefix: string;
  /** A plain command connection (for assertions and cleanup). */
  client: Redis;
  /** A fresh prefix for a second isolated namespace within the same suite. */
  newPrefix(): string;
  /** Deletes every key under the prefixes handed out, and closes the connection. */
  cleanup(): Promise<void>;
}

export interface PostgresService {
  url: string;
  /** An admin connection to the test database. */
  sql: postgres.Sql;
  /** Creates a schema with a unique name and returns the name. */
  createSchema(): Promise<string>;
  dropSchema(name: string): Promise<void>;
  /** Drops every schema created here and closes the connection. */
  close(): Promise<void>;
}

function unavailable(what: string, url: string, howToStart: string, error: unknown): null {
  const reason = error instanceof Error ? error.message : String(error);
  const text =
    `${what} is not reachable at ${url} (${reason}). The tests that need it are SKIPPED.\n` +
    `  Start it with: ${howToStart}\n  (Set REQUIRE_SERVICES=1 to make this a failure, as CI does.)`;
  if (required()) throw new Error(`REQUIRE_SERVICES=1 but ${text}`);
  console.warn(`\n!!! ${text}\n`);
  return null;
}

const uniqueSuffix = () => crypto.randomUUID().replaceAll("-", "").slice(0, 12);

/** A connection to the test Redis with a unique key prefix, or null (after a loud warning) when it is down. */
export async function requireRedis(): Promise<RedisService | null> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    return unavailable("Redis", REDIS_URL, "redis-server --daemonize yes --port 6379 --save '' --appendonly no", error);
  }
  const prefixes: string[] = [];
  const newPrefix = () => {
    const prefix = `test:${uniqueSuffix()}:`;
    prefixes.push(prefix);
    return prefix;
  };
  return {
    url: REDIS_URL,
    prefix: newPrefix(),
    client,
    newPrefix,
    async cleanup() {
      for (const prefix of prefixes) {
        let cursor = "0";
        do {
          const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
          if (keys.length > 0) await client.del(...keys);
          cursor = next;
        } while (cursor !== "0");
      }
      client.disconnect();
    },
  };
}

/** A connection to the test database that hands out unique schemas, or null (after a loud warning) when it is down. */
export async function requirePostgres(): Promise<PostgresService | null> {
  const sql = postgres(POSTGRES_URL, { max: 2, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    return unavailable(
      "PostgreSQL",
      POSTGRES_URL,
      'pg_ctlcluster "$(ls /etc/postgresql)" main start  (trust auth for 127.0.0.1, a database named "test")',
      error,
    );
  }
  const schemas = new Set<string>();
  const dropSchema = async (name: string) => {
    await sql.unsafe(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    schemas.delete(name);
  };
  return {
    url: POSTGRES_URL,
    sql,
    async createSchema() {
      const name = `test_${uniqueSuffix()}`;
      await sql.unsafe(`CREATE SCHEMA "${name}"`);
      schemas.add(name);
      return name;
    },
    dropSchema,
    async close() {
      for (const name of [...schemas]) await dropSchema(name);
      await sql.end({ timeout: 1 });
    },
  };
}
