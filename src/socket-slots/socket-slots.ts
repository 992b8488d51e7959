/**
 * The open WebSockets of every node, counted per user and per client IP, so that
 * `limits.sockets_per_user` and `limits.sockets_per_ip` hold across nodes. A single node counts
 * in its own memory (chat/live-sockets.ts) and needs none of this; a shared implementation (Redis)
 * fills it for several. A node that dies cannot release its sockets' places: each place lives
 * `ttlMs` unless its node refreshes it, so a dead node's sockets stop counting after that.
 */
export interface SocketPlace {
  socketId: string;
  userId: string;
  ip: string;
}

export interface SocketCaps {
  /** 0 = no cap. */
  perUser: number;
  /** What happens to the one too many: replace = the user's oldest sockets give way; refuse = this one is refused. */
  policy: "replace" | "refuse";
  /** 0 = no cap. */
  perIp: number;
}

export type Admission = { admitted: true; replaced: string[] } | { admitted: false; rule: "sockets_per_user" | "sockets_per_ip" };

export interface SocketSlots {
  /** Sockets open from `ip` on all nodes. */
  countIp(ip: string): Promise<number>;
  /**
   * Takes a place for `place.socketId`, atomically with the check: refused when the IP holds
   * `perIp` sockets, or the user `perUser` under policy refuse; under replace the user's oldest
   * sockets over the cap lose their places, and their ids are announced to every node
   * (`onReplaced`) so whichever holds them closes them.
   */
  acquire(place: SocketPlace, caps: SocketCaps): Promise<Admission>;
  /** Frees a closed socket's place (idempotent). */
  release(place: SocketPlace): Promise<void>;
  /** Keeps the places of this node's open sockets alive for another `ttlMs`. */
  refresh(socketIds: readonly string[]): Promise<void>;
  /** Calls `handler` with the ids of sockets that lost their place to a newer one of their user (on any node). */
  onReplaced(handler: (socketIds: string[]) => void): void;
  close(): Promise<void>;
}
