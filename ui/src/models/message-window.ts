// The bounded list of messages a conversation holds: at most MAX_HELD_MESSAGES, older ones loaded
// again from the server on request. Pure functions over any message type, so they test alone.

/** At most this many messages of a conversation are held in memory (and in the page). */
export const MAX_HELD_MESSAGES = 1_000;
/** How many older messages one "load older" brings in. */
export const OLDER_PAGE = 200;

export interface Trimmed<T> {
  messages: T[];
  /** How many were taken off. */
  dropped: number;
}

/** `messages` without its oldest ones beyond `max`. */
export function trimOldest<T>(messages: T[], max = MAX_HELD_MESSAGES): Trimmed<T> {
  const dropped = Math.max(0, messages.length - max);
  return { messages: dropped ? messages.slice(dropped) : messages, dropped };
}

export interface Extended<T> {
  messages: T[];
  /** How many of `older` were put in front. */
  added: number;
  /** How many of the newest held messages were given up to make room. */
  droppedNewest: number;
}

/**
 * `held` with as many of `older` (the messages just before it, oldest first) as fit in front:
 * up to `max` in all, giving up the newest held messages to make room, but never one that
 * `settled` says is still changing (a reply streaming, a message not yet confirmed) or anything
 * before it.
 */
export function prependOlder<T>(held: T[], older: T[], settled: (message: T) => boolean, max = MAX_HELD_MESSAGES): Extended<T> {
  let droppable = 0;
  while (droppable < held.length && settled(held[held.length - 1 - droppable]!)) droppable++;
  const room = Math.max(0, max - held.length) + droppable;
  const added = Math.min(older.length, room);
  const droppedNewest = Math.max(0, held.length + added - max);
  return {
    messages: [...older.slice(older.length - added), ...held.slice(0, held.length - droppedNewest)],
    added,
    droppedNewest,
  };
}
