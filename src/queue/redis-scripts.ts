import { LUA_NOW_MS } from "../redis/script.ts";

/**
 * The Redis task queue's steps, one Lua script each (atomic on the server). Keys, all under one
 * hash tag so a Redis Cluster keeps them on one shard:
 *
 * - `task:<id>`   hash: payload, conv, pos (enqueue order), due (ms), attempts, owner (while leased)
 * - `conv:<id>`   sorted set: the conversation's task ids by position; its first is the head
 * - `pending`     sorted set: heads waiting but not yet due, by due time
 * - `ready`       sorted set: heads waiting and due, by position (take pops the lowest)
 * - `leases`      sorted set: leased task ids by lease expiry
 * - `seq`, `size` counters: the next position; tasks held (waiting or leased)
 *
 * Only a conversation's head is ever in `pending`/`ready`, so a conversation's tasks run one at a
 * time and in order. Time is Redis's (`TIME`), so nodes with skewed clocks agree on every lease.
 * KEYS = seq, pending, ready, leases, size; ARGV[1] = the key prefix with its hash tag.
 */
const PRELUDE = `
local p = ARGV[1]
local SEQ, PENDING, READY, LEASES, SIZE = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
${LUA_NOW_MS}
local function taskKey(id) return p .. 'task:' .. id end
local function convKey(c) return p .. 'conv:' .. c end
-- A waiting head goes where take finds it: ready (by position) once due, else pending (by due time).
local function place(id)
  local k = taskKey(id)
  local due = tonumber(redis.call('HGET', k, 'due'))
  if due <= now then
    redis.call('ZREM', PENDING, id)
    redis.call('ZADD', READY, redis.call('HGET', k, 'pos'), id)
  else
    redis.call('ZREM', READY, id)
    redis.call('ZADD', PENDING, due, id)
  end
end
local function promoteHead(c)
  local head = redis.call('ZRANGE', convKey(c), 0, 0)[1]
  if head and not redis.call('HGET', taskKey(head), 'owner') then place(head) end
end
`;

/** ARGV: prefix, id, conversation, payload, delayMs → 1 added, 0 already held. */
export const ENQUEUE = `${PRELUDE}
local id, c = ARGV[2], ARGV[3]
local k = taskKey(id)
if redis.call('EXISTS', k) == 1 then return 0 end
local pos = redis.call('INCR', SEQ)
redis.call('HSET', k, 'payload', ARGV[4], 'conv', c, 'pos', pos, 'due', now + tonumber(ARGV[5]), 'attempts', 0)
redis.call('ZADD', convKey(c), pos, id)
redis.call('INCR', SIZE)
if redis.call('ZRANGE', convKey(c), 0, 0)[1] == id then place(id) end
return 1`;

/** ARGV: prefix, owner, leaseMs → {payload, attempt} or nil. */
export const TAKE = `${PRELUDE}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', PENDING, '-inf', now, 'LIMIT', 0, 100)) do place(id) end
local id = redis.call('ZPOPMIN', READY)[1]
if not id then return false end
local k = taskKey(id)
local attempts = redis.call('HINCRBY', k, 'attempts', 1)
redis.call('HSET', k, 'owner', ARGV[2])
redis.call('ZADD', LEASES, now + tonumber(ARGV[3]), id)
return {redis.call('HGET', k, 'payload'), attempts}`;

/** ARGV: prefix, owner, leaseMs, id... → the ids whose lease owner no longer holds. */
export const RENEW = `${PRELUDE}
local lost = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  if redis.call('HGET', taskKey(id), 'owner') == ARGV[2] then
    redis.call('ZADD', LEASES, now + tonumber(ARGV[3]), id)
  else
    lost[#lost + 1] = id
  end
end
return lost`;

/** ARGV: prefix, id, owner → 1 removed, 0 owner no longer held the lease. */
export const ACK = `${PRELUDE}
local id = ARGV[2]
local k = taskKey(id)
if redis.call('HGET', k, 'owner') ~= ARGV[3] then return 0 end
local c = redis.call('HGET', k, 'conv')
redis.call('DEL', k)
redis.call('ZREM', LEASES, id)
redis.call('ZREM', convKey(c), id)
redis.call('DECR', SIZE)
promoteHead(c)
return 1`;

/** ARGV: prefix, id, owner, delayMs → 1 given back, 0 owner no longer held the lease. */
export const RETRY = `${PRELUDE}
local id = ARGV[2]
local k = taskKey(id)
if redis.call('HGET', k, 'owner') ~= ARGV[3] then return 0 end
redis.call('HDEL', k, 'owner')
redis.call('ZREM', LEASES, id)
redis.call('HSET', k, 'due', now + tonumber(ARGV[4]))
place(id)
return 1`;

/** ARGV: prefix, id → 1 removed, 0 leased or unknown. */
export const REMOVE = `${PRELUDE}
local id = ARGV[2]
local k = taskKey(id)
if redis.call('EXISTS', k) == 0 or redis.call('HEXISTS', k, 'owner') == 1 then return 0 end
local c = redis.call('HGET', k, 'conv')
local wasHead = redis.call('ZRANGE', convKey(c), 0, 0)[1] == id
redis.call('ZREM', PENDING, id)
redis.call('ZREM', READY, id)
redis.call('ZREM', convKey(c), id)
redis.call('DEL', k)
redis.call('DECR', SIZE)
if wasHead then promoteHead(c) end
return 1`;

/** ARGV: prefix → how many expired leases were given back. */
export const REAP = `${PRELUDE}
local expired = redis.call('ZRANGEBYSCORE', LEASES, '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('ZREM', LEASES, id)
  redis.call('HDEL', taskKey(id), 'owner')
  place(id)
end
return #expired`;

/** ARGV: prefix → tasks waiting (held minus leased). */
export const DEPTH = `${PRELUDE}
return (tonumber(redis.call('GET', SIZE)) or 0) - redis.call('ZCARD', LEASES)`;
