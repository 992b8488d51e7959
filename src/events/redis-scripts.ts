import { LUA_NOW_MS } from "../redis/script.ts";

/**
 * The Redis event log's steps. Per conversation, under one hash tag `{<conversationId>}`:
 *
 * - `log`   a stream; entry id `0-<seq>`, fields `e` (the event's JSON without its seq) and `at`
 *           (Redis time, ms)
 * - `meta`  hash: epoch, last (newest seq), settled (seq of the newest message.end)
 *
 * Retention: at every `message.end` the events before the settled point that are over the count
 * or older than the age limit are trimmed (`XTRIM MINID`, exact, so a reply still running is never
 * cut), and the stream expires `maxAgeMs` after that end unless another event arrives first (an
 * event of a new reply removes the expiry). `meta` outlives it (`META_TTL_MS`, refreshed on use),
 * so seqs go on and resume is refused, rather than restarted, once events are gone.
 * KEYS = log, meta.
 */

/** ARGV: event JSON, type, epoch if new, maxPerConversation, maxAgeMs, metaTtlMs → seq. */
export const APPEND = `${LUA_NOW_MS}
local LOG, META = KEYS[1], KEYS[2]
redis.call('HSETNX', META, 'epoch', ARGV[3])
local seq = redis.call('HINCRBY', META, 'last', 1)
redis.call('XADD', LOG, '0-' .. seq, 'e', ARGV[1], 'at', now)
if ARGV[2] == 'message.end' then
  redis.call('HSET', META, 'settled', seq)
  -- Keep the newest maxPerConversation events, and none older than maxAgeMs: trim up to the first keeper.
  local keepFrom = math.max(seq - tonumber(ARGV[4]) + 1, 1)
  local oldest = now - tonumber(ARGV[5])
  local young = false
  while not young do
    local batch = redis.call('XRANGE', LOG, '0-' .. keepFrom, '+', 'COUNT', 64)
    if #batch == 0 then break end
    for _, entry in ipairs(batch) do
      if tonumber(entry[2][4]) > oldest then young = true break end
      keepFrom = tonumber(string.sub(entry[1], 3)) + 1
    end
  end
  if keepFrom > 1 then redis.call('XTRIM', LOG, 'MINID', '0-' .. keepFrom) end
  redis.call('PEXPIRE', LOG, ARGV[5])
else
  redis.call('PERSIST', LOG)
end
redis.call('PEXPIRE', META, ARGV[6])
return seq`;

/** ARGV: afterSeq → the entries after it, or false when the log no longer holds them all. */
export const READ_AFTER = `
local LOG, META = KEYS[1], KEYS[2]
local after = tonumber(ARGV[1])
local last = tonumber(redis.call('HGET', META, 'last') or '0')
local first = redis.call('XRANGE', LOG, '-', '+', 'COUNT', 1)[1]
local firstSeq = first and tonumber(string.sub(first[1], 3)) or last + 1
if after > last or after < firstSeq - 1 then return false end
return redis.call('XRANGE', LOG, '0-' .. (after + 1), '+')`;

/** ARGV: epoch if new, metaTtlMs → the conversation's epoch. */
export const EPOCH = `
local META = KEYS[2]
redis.call('HSETNX', META, 'epoch', ARGV[1])
redis.call('PEXPIRE', META, ARGV[2])
return redis.call('HGET', META, 'epoch')`;
