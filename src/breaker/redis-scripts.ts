import { LUA_NOW_MS } from "../redis/script.ts";

/**
 * The shared breakers' steps, one Lua script each, so nodes deciding at once see one state.
 * KEYS = the model's hash (state, failures, successes, openedAt, trialUntil), the set of models;
 * both under the `{breakers}` hash tag. The state machine is the memory one's (memory.ts), except
 * that the one trial of a half-open breaker is a lease (`trialUntil`): a node that dies during its
 * trial does not keep the breaker half-open for good.
 */
const PRELUDE = `${LUA_NOW_MS}
local K = KEYS[1]
local function open()
  redis.call('HSET', K, 'state', 'open', 'openedAt', now, 'successes', 0, 'trialUntil', 0)
end`;

/** ARGV: model, openMs, trialLeaseMs, trialBusyMs → {1, trial 0|1} allowed, or {0, retryAfterMs}. */
export const ACQUIRE = `${PRELUDE}
redis.call('SADD', KEYS[2], ARGV[1])
local state = redis.call('HGET', K, 'state') or 'closed'
if state == 'closed' then return {1, 0} end
if state == 'open' then
  local left = tonumber(redis.call('HGET', K, 'openedAt')) + tonumber(ARGV[2]) - now
  if left > 0 then return {0, left} end
  redis.call('HSET', K, 'state', 'half_open', 'successes', 0, 'trialUntil', 0)
end
if tonumber(redis.call('HGET', K, 'trialUntil') or '0') > now then return {0, tonumber(ARGV[4])} end
redis.call('HSET', K, 'trialUntil', now + tonumber(ARGV[3]))
return {1, 1}`;

/** ARGV: model, outcome (success|failure|ignored), trial 0|1, failures, successes. */
export const RECORD = `${PRELUDE}
redis.call('SADD', KEYS[2], ARGV[1])
local state = redis.call('HGET', K, 'state') or 'closed'
local outcome = ARGV[2]
if ARGV[3] == '1' and state == 'half_open' then
  redis.call('HSET', K, 'trialUntil', 0)
  if outcome == 'success' and redis.call('HINCRBY', K, 'successes', 1) >= tonumber(ARGV[5]) then
    redis.call('HSET', K, 'state', 'closed', 'failures', 0)
  end
  if outcome == 'failure' then open() end
  return 0
end
if state ~= 'closed' or outcome == 'ignored' then return 0 end
if outcome == 'success' then
  redis.call('HSET', K, 'failures', 0)
elseif redis.call('HINCRBY', K, 'failures', 1) >= tonumber(ARGV[4]) then
  open()
end
return 0`;

/** KEYS = a hash prefix (unused as a key), the set of models. ARGV: hash prefix, openMs → {model, state, failures, retryAfterMs}... */
export const SNAPSHOT = `${LUA_NOW_MS}
local result = {}
for _, model in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local k = ARGV[1] .. model
  local state = redis.call('HGET', k, 'state') or 'closed'
  local left = 0
  if state == 'open' then
    left = tonumber(redis.call('HGET', k, 'openedAt')) + tonumber(ARGV[2]) - now
    if left <= 0 then state = 'half_open' end
  end
  result[#result + 1] = {model, state, tonumber(redis.call('HGET', k, 'failures') or '0'), left}
end
return result`;
