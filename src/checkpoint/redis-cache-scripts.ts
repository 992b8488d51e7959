/**
 * The checkpoint hot cache's steps, one Lua script each. Per thread, under one hash tag:
 *
 * - `t`     hash: `latest:<ns>` and `id:<ns>:<checkpoint id>` → a serialized CheckpointTuple
 * - `ver`   a counter bumped at the start and end of every write to the thread
 * - `busy`  how many writes to the thread are under way (expires, in case a writer dies)
 *
 * A reader that missed fills the entry only if no write began or ended since it looked (`ver`
 * unchanged) and none is under way (`busy` 0), so a value read from Postgres before a write can
 * never be put in the cache after it. A write drops the thread's entries before it touches Postgres,
 * so once a write has begun no node reads the old value from the cache.
 * KEYS = t, ver, busy.
 */

/** ARGV: field, ttlMs → {value or false, ver}; a hit refreshes the thread's TTL. */
export const READ = `
local value = redis.call('HGET', KEYS[1], ARGV[1])
if value then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {value, redis.call('GET', KEYS[2]) or '0'}`;

/** ARGV: field, value, ver seen before the read, ttlMs → 1 stored, 0 a write came between. */
export const FILL = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[3] or tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/** ARGV: busyMs → the write's ver. Drops the thread's entries. */
export const BEGIN_WRITE = `
local ver = redis.call('INCR', KEYS[2])
redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[1])
redis.call('DEL', KEYS[1])
return ver`;

/**
 * ARGV: the write's ver, ttlMs, then field/value pairs to store (write-through) when no other
 * write began since this one and none is under way. Drops whatever was filled meanwhile.
 */
export const END_WRITE = `
local alone = (redis.call('GET', KEYS[2]) or '0') == ARGV[1]
local busy = redis.call('DECR', KEYS[3])
if busy <= 0 then redis.call('DEL', KEYS[3]) end
redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
if alone and busy <= 0 and #ARGV > 2 then
  for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;
