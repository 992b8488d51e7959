import { Cluster, Redis, type RedisOptions } from "ioredis";

/**
 * Where Redis is, from `redis.url`. ioredis connects to a single server from a URL; it reaches
 * Sentinel and Cluster deployments only from options, so agentd accepts two more URL forms and
 * maps them onto those options:
 *
 * - `redis://[user:password@]host:port[/db]`, `rediss://…` (TLS): one server.
 * - `redis-sentinel://[user:password@]host1:26379,host2:26379/MASTER[/db][?sentinel_password=…]`:
 *   ask the sentinels for MASTER's address and follow failovers; the password is the master's.
 * - `redis-cluster://[user:password@]host1:6379,host2:6379`: a Redis Cluster, seeded from those nodes.
 */
export type RedisTarget =
  | { kind: "single"; url: string }
  | { kind: "sentinel"; sentinels: HostPort[]; name: string; db: number; username?: string; password?: string; sentinelPassword?: string }
  | { kind: "cluster"; nodes: HostPort[]; username?: string; password?: string };

interface HostPort {
  host: string;
  port: number;
}

export type RedisClient = Redis | Cluster;

const MULTI_HOST = /^(redis-sentinel|redis-cluster):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?@]+)(?:\/([^?]*))?(?:\?(.*))?$/;

/** Parses `redis.url`; throws an Error naming what is wrong. */
export function parseRedisUrl(url: string): RedisTarget {
  if (/^rediss?:\/\//.test(url)) return { kind: "single", url };
  const match = MULTI_HOST.exec(url);
  if (!match) throw new Error(`redis.url must start with redis://, rediss://, redis-sentinel:// or redis-cluster:// (got "${url.split(":")[0]}:…")`);
  const [, scheme, user, password, hostList, path = "", query = ""] = match;
  const hosts = hostList!.split(",").map((entry) => hostPort(entry, scheme === "redis-sentinel" ? 26379 : 6379));
  const credentials = { ...(user ? { username: decodeURIComponent(user) } : {}), ...(password ? { password: decodeURIComponent(password) } : {}) };
  if (scheme === "redis-cluster") return { kind: "cluster", nodes: hosts, ...credentials };
  const [name, db = "0"] = path.split("/");
  if (!name) throw new Error("a redis-sentinel:// URL names the master after the hosts: redis-sentinel://host:26379/mymaster");
  if (!/^\d+$/.test(db)) throw new Error(`the database in redis.url must be a number (got "${db}")`);
  const sentinelPassword = new URLSearchParams(query).get("sentinel_password") ?? undefined;
  return { kind: "sentinel", sentinels: hosts, name: decodeURIComponent(name), db: Number(db), ...credentials, ...(sentinelPassword ? { sentinelPassword } : {}) };
}

function hostPort(entry: string, defaultPort: number): HostPort {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
  if (!match) throw new Error(`"${entry}" in redis.url is not host:port`);
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port: match[2] ? Number(match[2]) : defaultPort };
}

/** A new connection to `target` (it connects in the background; ioredis reconnects by itself). */
export function createRedisClient(target: RedisTarget, options: RedisOptions = {}): RedisClient {
  switch (target.kind) {
    case "single":
      return new Redis(target.url, options);
    case "sentinel":
      return new Redis({
        ...options,
        sentinels: target.sentinels,
        name: target.name,
        db: target.db,
        username: target.username,
        password: target.password,
        sentinelPassword: target.sentinelPassword,
      });
    case "cluster":
      return new Cluster(target.nodes, { redisOptions: { ...options, username: target.username, password: target.password } });
  }
}

/** The URL with any password replaced, for logs and readiness reasons. */
export const redactRedisUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
