import type { RedisClient } from "./connection.ts";

/** A Lua script bound to one connection: `run(keys, args)` sends EVALSHA (EVAL once after a restart or failover). */
export type RedisScript = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/**
 * Registers `lua` on `client` under `name` (ioredis' defineCommand: it loads the script on first
 * use and again whenever Redis answers NOSCRIPT). Each script is one atomic step on the server.
 * `numberOfKeys` keys come first; in a Redis Cluster they route the call, so every key a script
 * touches must share their hash slot (agentd's scripts use a `{…}` hash tag).
 */
export function defineScript(client: RedisClient, name: string, numberOfKeys: number, lua: string): RedisScript {
  client.defineCommand(name, { numberOfKeys, lua });
  const command = (client as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)[name]!.bind(client);
  return (keys, args) => command(...keys, ...args);
}

/** Lua: the server's time in milliseconds (every time rule of a shared part reads Redis's clock, not a node's). */
export const LUA_NOW_MS = "local __t = redis.call('TIME'); local now = tonumber(__t[1]) * 1000 + math.floor(tonumber(__t[2]) / 1000)";
