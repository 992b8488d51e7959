import { LUA_NOW_MS } from "../redis/script.ts";

/**
 * The shared socket counts on Redis, under the `{sockets}` hash tag (one Cluster shard):
 *
 * - `alive`        sorted set: socket id by the time its place expires (unless refreshed)
 * - `info`         hash: socket id → "<userId>\n<ip>"
 * - `user:<id>`    sorted set: the user's socket ids by opening time (oldest first)
 * - `ip:<ip>`      sorted set: the IP's socket ids
 *
 * A place that expired (its node died) is dropped from whichever set is counted next, and a few
 * more at every admission.
 * KEYS = alive, info; ARGV[1] = the key prefix with its hash tag.
 */
const PRELUDE = `${LUA_NOW_MS}
local p = ARGV[1]
local ALIVE, INFO = KEYS[1], KEYS[2]
local function forget(id)
  local info = redis.call('HGET', INFO, id)
  if info then
    local split = string.find(info, '\\n', 1, true)
    redis.call('ZREM', p .. 'user:' .. string.sub(info, 1, split - 1), id)
    redis.call('ZREM', p .. 'ip:' .. string.sub(info, split + 1), id)
  end
  redis.call('HDEL', INFO, id)
  redis.call('ZREM', ALIVE, id)
end
local function count(set)
  for _, id in ipairs(redis.call('ZRANGE', set, 0, -1)) do
    local expires = redis.call('ZSCORE', ALIVE, id)
    if not expires or tonumber(expires) <= now then
      redis.call('ZREM', set, id)
      forget(id)
    end
  end
  return redis.call('ZCARD', set)
end`;

/** ARGV: prefix, socketId, userId, ip, perUser, perIp, policy, ttlMs → {1, replaced ids...} or {0, rule}. */
export const ACQUIRE = `${PRELUDE}
local id, user, ip = ARGV[2], ARGV[3], ARGV[4]
local perUser, perIp = tonumber(ARGV[5]), tonumber(ARGV[6])
local userSet, ipSet = p .. 'user:' .. user, p .. 'ip:' .. ip
-- A few places of dead nodes' sockets go on every admission, so sets nobody counts do not grow.
for _, expired in ipairs(redis.call('ZRANGEBYSCORE', ALIVE, '-inf', now, 'LIMIT', 0, 10)) do forget(expired) end
if perIp > 0 and count(ipSet) >= perIp then return {0, 'sockets_per_ip'} end
local result = {1}
if perUser > 0 then
  local held = count(userSet)
  if held >= perUser then
    if ARGV[7] == 'refuse' then return {0, 'sockets_per_user'} end
    for _, oldest in ipairs(redis.call('ZRANGE', userSet, 0, held - perUser)) do
      forget(oldest)
      result[#result + 1] = oldest
    end
  end
end
redis.call('ZADD', userSet, now, id)
redis.call('ZADD', ipSet, now, id)
redis.call('ZADD', ALIVE, now + tonumber(ARGV[8]), id)
redis.call('HSET', INFO, id, user .. '\\n' .. ip)
return result`;

/** ARGV: prefix, socketId. */
export const RELEASE = `${PRELUDE}
forget(ARGV[2])
return 0`;

/** ARGV: prefix, ttlMs, socketId... — refreshes the places that still exist. */
export const REFRESH = `${PRELUDE}
for i = 3, #ARGV do
  if redis.call('ZSCORE', ALIVE, ARGV[i]) then redis.call('ZADD', ALIVE, now + tonumber(ARGV[2]), ARGV[i]) end
end
return 0`;

/** ARGV: prefix, ip → the sockets it holds. */
export const COUNT_IP = `${PRELUDE}
return count(p .. 'ip:' .. ARGV[2])`;
