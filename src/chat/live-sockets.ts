import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { CloseCode } from "../protocol/index.ts";
import type { SecurityLog } from "../security/security-log.ts";
import type { SocketSlots } from "../socket-slots/socket-slots.ts";
import type { Connection } from "./connection.ts";

/** Who a socket's token says it is, and until when. */
export interface SocketIdentity {
  userId: string;
  /** The login session of our own tokens; absent on externally issued ones. */
  sessionId?: string;
  tokenId: string;
  expiresAt: Date;
}

export interface LiveSocketsOptions {
  clock: Clock;
  security: SecurityLog;
  /** `limits.sockets_per_user` (0 = no cap) and what happens to the one too many. */
  socketsPerUser: number;
  policy: "replace" | "refuse";
  /** `limits.sockets_per_ip` (0 = no cap). */
  socketsPerIp: number;
  /** How often every open socket's identity is checked again (`auth.revocation_check`). */
  revalidateEveryMs: number;
  /** Verifies a presented token; throws AppError `unauthorized`. */
  authenticate(token: string): Promise<SocketIdentity>;
  /** Null while the identity is still good; otherwise why it is not (user disabled, logged out). */
  revoked(identity: SocketIdentity): Promise<string | null>;
  /**
   * Several nodes: the caps are counted across all of them here (see `reserve`); this node's own
   * counts then only track its sockets.
   */
  slots?: SocketSlots;
  /** How often this node refreshes its sockets' places in `slots`. Default 10 s. */
  slotRefreshMs?: number;
  /** A background check failed (a revalidation, or a shared-count release or refresh, while Postgres or Redis is unreachable). */
  onError?: (error: unknown) => void;
}

/** A place taken in the shared counts before the upgrade, for `open`. */
export interface SocketReservation {
  socketId: string;
}

/** One accepted socket, as the registry tracks it. */
export interface LiveSocket {
  readonly id: string;
  readonly connection: Connection;
  readonly ip: string;
  readonly conversationId: string;
  identity: SocketIdentity;
  readonly openedAt: number;
  cancelExpiry?: () => void;
  closed: boolean;
}

export type OpenResult = { socket: LiveSocket } | { refused: { code: number; reason: string } };

/**
 * The open sockets of this node, by user and by client IP: enforces the connection caps, closes a
 * socket when its access token expires (unless the client refreshed it with `auth.refresh`), and
 * closes the sockets of users who were disabled or logged out — checked every
 * `auth.revocation_check` and at once when this process revokes something.
 */
export class LiveSockets {
  private readonly byUser = new Map<string, LiveSocket[]>();
  private readonly byIp = new Map<string, number>();
  private cancelSweep?: () => void;
  private cancelRefresh?: () => void;

  constructor(private readonly options: LiveSocketsOptions) {
    options.slots?.onReplaced((ids) => this.replaced(ids));
  }

  /** True when `ip` already holds `limits.sockets_per_ip` sockets (on all nodes, with shared slots). */
  async ipFull(ip: string): Promise<boolean> {
    const { socketsPerIp, slots } = this.options;
    if (socketsPerIp === 0) return false;
    return (slots ? await slots.countIp(ip) : (this.byIp.get(ip) ?? 0)) >= socketsPerIp;
  }

  /**
   * Several nodes (`slots`): takes the socket's place in the shared counts before the upgrade.
   * Refused over `sockets_per_ip`, or over `sockets_per_user` under policy refuse (4008); under
   * replace the user's oldest sockets give way, closed with 4009 by whichever node holds them.
   * Null on a single node: `open` applies the caps itself.
   */
  async reserve(identity: SocketIdentity, ip: string, conversationId: string): Promise<SocketReservation | { refused: { code: number; reason: string } } | null> {
    const { slots, socketsPerUser, policy, socketsPerIp, security } = this.options;
    if (!slots || (socketsPerUser === 0 && socketsPerIp === 0)) return null;
    const socketId = Bun.randomUUIDv7();
    const admission = await slots.acquire({ socketId, userId: identity.userId, ip }, { perUser: socketsPerUser, policy, perIp: socketsPerIp });
    if (admission.admitted) return { socketId };
    security.record({ kind: "connection.refused", userId: identity.userId, ip, conversationId, ruleId: admission.rule });
    const reason = admission.rule === "sockets_per_ip" ? "too many connections from your address" : `too many open connections (at most ${socketsPerUser})`;
    return { refused: { code: CloseCode.policy, reason } };
  }

  /** Open sockets of `userId`, oldest first. */
  ofUser(userId: string): readonly LiveSocket[] {
    return this.byUser.get(userId) ?? [];
  }

  /**
   * Registers an authenticated socket. Over `sockets_per_user` it closes the user's oldest socket
   * with 4009 (policy `replace`) or refuses this one with 4008 (policy `refuse`).
   */
  open(connection: Connection, identity: SocketIdentity, ip: string, conversationId: string, reservation?: SocketReservation | null): OpenResult {
    const { socketsPerUser, policy, security, socketsPerIp } = this.options;
    // A reservation passed the caps across the nodes already.
    if (reservation) return { socket: this.register(reservation.socketId, connection, identity, ip, conversationId) };
    if (socketsPerIp > 0 && (this.byIp.get(ip) ?? 0) >= socketsPerIp) {
      security.record({ kind: "connection.refused", userId: identity.userId, ip, conversationId, ruleId: "sockets_per_ip" });
      return { refused: { code: CloseCode.policy, reason: "too many connections from your address" } };
    }
    const mine = this.ofUser(identity.userId);
    if (socketsPerUser > 0 && mine.length >= socketsPerUser) {
      if (policy === "refuse") {
        security.record({ kind: "connection.refused", userId: identity.userId, ip, conversationId, ruleId: "sockets_per_user" });
        return { refused: { code: CloseCode.policy, reason: `too many open connections (at most ${socketsPerUser})` } };
      }
      for (const oldest of mine.slice(0, mine.length - socketsPerUser + 1)) {
        security.record({ kind: "connection.replaced", userId: identity.userId, ip: oldest.ip, conversationId: oldest.conversationId, ruleId: "sockets_per_user" });
        this.end(oldest, CloseCode.replaced, "opened elsewhere");
      }
    }
    return { socket: this.register(Bun.randomUUIDv7(), connection, identity, ip, conversationId) };
  }

  private register(id: string, connection: Connection, identity: SocketIdentity, ip: string, conversationId: string): LiveSocket {
    const socket: LiveSocket = { id, connection, ip, conversationId, identity, openedAt: this.options.clock.now(), closed: false };
    this.byUser.set(identity.userId, [...this.ofUser(identity.userId), socket]);
    this.byIp.set(ip, (this.byIp.get(ip) ?? 0) + 1);
    this.armExpiry(socket);
    return socket;
  }

  /** Forgets a socket that closed (idempotent). */
  remove(socket: LiveSocket): void {
    if (socket.closed) return;
    socket.closed = true;
    socket.cancelExpiry?.();
    const rest = this.ofUser(socket.identity.userId).filter((s) => s !== socket);
    if (rest.length) this.byUser.set(socket.identity.userId, rest);
    else this.byUser.delete(socket.identity.userId);
    const count = (this.byIp.get(socket.ip) ?? 1) - 1;
    if (count > 0) this.byIp.set(socket.ip, count);
    else this.byIp.delete(socket.ip);
    this.options.slots?.release({ socketId: socket.id, userId: socket.identity.userId, ip: socket.ip }).catch((error) => this.options.onError?.(error));
  }

  /**
   * `auth.refresh`: adopts a newer token of the same user, so the socket outlives the old one.
   * Throws AppError `unauthorized` when the token is invalid, another user's, or not newer.
   */
  async refresh(socket: LiveSocket, token: string): Promise<Date> {
    const identity = await this.options.authenticate(token);
    if (identity.userId !== socket.identity.userId) throw new AppError("unauthorized", "That token belongs to another user.");
    if (identity.expiresAt.getTime() < socket.identity.expiresAt.getTime()) {
      throw new AppError("unauthorized", "That token expires before the one this connection already has.");
    }
    if (socket.closed) return identity.expiresAt;
    socket.identity = identity;
    this.armExpiry(socket);
    return identity.expiresAt;
  }

  /** Checks the identities of open sockets (of one user, or all) and closes the revoked ones with 4001. */
  async revalidate(userId?: string): Promise<void> {
    const sockets = userId ? [...this.ofUser(userId)] : [...this.byUser.values()].flat();
    const verdicts = new Map<string, Promise<string | null>>();
    await Promise.all(
      sockets.map(async (socket) => {
        const { identity } = socket;
        const key = `${identity.userId}\n${identity.sessionId ?? ""}\n${identity.tokenId}`;
        if (!verdicts.has(key)) verdicts.set(key, this.options.revoked(identity));
        const reason = await verdicts.get(key)!;
        if (reason && !socket.closed && socket.identity === identity) {
          this.options.security.record({ kind: "connection.expired", userId: identity.userId, ip: socket.ip, conversationId: socket.conversationId, reason });
          this.end(socket, CloseCode.unauthenticated, reason);
        }
      }),
    );
  }

  /** Starts the periodic revalidation (and, with shared slots, the refresh of this node's places). */
  start(): void {
    const tick = () => {
      this.cancelSweep = this.options.clock.schedule(this.options.revalidateEveryMs, () => {
        void this.revalidate()
          .catch((error) => this.options.onError?.(error))
          .finally(() => this.cancelSweep && tick());
      });
    };
    tick();
    const { slots, slotRefreshMs = 10_000 } = this.options;
    if (!slots) return;
    const refresh = () => {
      this.cancelRefresh = this.options.clock.schedule(slotRefreshMs, () => {
        const ids = [...this.byUser.values()].flat().map((socket) => socket.id);
        void slots
          .refresh(ids)
          .catch((error) => this.options.onError?.(error))
          .finally(() => this.cancelRefresh && refresh());
      });
    };
    refresh();
  }

  stop(): void {
    const cancel = this.cancelSweep;
    this.cancelSweep = undefined;
    cancel?.();
    const cancelRefresh = this.cancelRefresh;
    this.cancelRefresh = undefined;
    cancelRefresh?.();
    for (const socket of [...this.byUser.values()].flat()) socket.cancelExpiry?.();
  }

  get size(): number {
    let count = 0;
    for (const sockets of this.byUser.values()) count += sockets.length;
    return count;
  }

  private armExpiry(socket: LiveSocket): void {
    socket.cancelExpiry?.();
    const { clock, security } = this.options;
    socket.cancelExpiry = clock.schedule(socket.identity.expiresAt.getTime() - clock.now(), () => {
      security.record({ kind: "connection.expired", userId: socket.identity.userId, ip: socket.ip, conversationId: socket.conversationId, reason: "token expired" });
      this.end(socket, CloseCode.unauthenticated, "token expired");
    });
  }

  /** Sockets that lost their place to a newer socket of their user (announced by whichever node admitted it). */
  private replaced(ids: string[]): void {
    const wanted = new Set(ids);
    for (const socket of [...this.byUser.values()].flat()) {
      if (!wanted.has(socket.id)) continue;
      this.options.security.record({ kind: "connection.replaced", userId: socket.identity.userId, ip: socket.ip, conversationId: socket.conversationId, ruleId: "sockets_per_user" });
      this.end(socket, CloseCode.replaced, "opened elsewhere");
    }
  }

  private end(socket: LiveSocket, code: number, reason: string): void {
    this.remove(socket);
    socket.connection.close(code, reason);
  }
}
