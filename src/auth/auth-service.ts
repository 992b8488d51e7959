import { durationMs, type Config } from "../config/schema.ts";
import type { TokenDenyList } from "../deny-list/deny-list.ts";
import { AppError } from "../errors.ts";
import type { SessionStore, UserStore } from "../storage/app-store.ts";
import type { User } from "../storage/types.ts";
import { dummyPasswordHash, verifyPassword } from "./passwords.ts";
import type { IssuedToken, TokenService } from "./tokens.ts";

export interface LoginResult {
  user: User;
  access: IssuedToken;
  refresh: { token: string; expiresAt: Date };
}

const sha256 = (value: string) => new Bun.CryptoHasher("sha256").update(value).digest("hex");
const newRefreshToken = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
const badCredentials = () => new AppError("unauthorized", "The username or password is wrong.");
const sessionGone = () => new AppError("unauthorized", "Your session has ended; please log in again.");

/**
 * Logins, refresh-token rotation, logout and the authentication of a presented access token.
 * Refresh tokens are opaque, stored hashed, single use: presenting a rotated one again revokes
 * the whole login (it was likely stolen).
 */
export class AuthService {
  private readonly sessionMaxAgeMs: number;

  constructor(
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly tokens: TokenService,
    auth: Config["auth"],
    private readonly clock: () => number = Date.now,
    private readonly denyList?: TokenDenyList,
  ) {
    this.sessionMaxAgeMs = durationMs(auth.session_max_age);
  }

  private readonly revokeListeners: ((userId: string) => void)[] = [];

  /** Calls `listener` with the user id whenever this process revokes a login or token (logout). */
  onRevoke(listener: (userId: string) => void): void {
    this.revokeListeners.push(listener);
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const user = await this.users.findByUsername(username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) throw badCredentials();
    if (!user.active) throw new AppError("unauthorized", "This account is disabled.");
    return this.startSession(user, crypto.randomUUID());
  }

  /** Exchanges a refresh token for a new access token and a new refresh token. */
  async refresh(refreshToken: string): Promise<LoginResult> {
    const session = await this.sessions.findByTokenHash(sha256(refreshToken));
    if (!session || session.revokedAt) throw sessionGone();
    if (session.rotatedAt || !(await this.sessions.markRotated(session.id))) {
      await this.sessions.revokeFamily(session.familyId);
      throw sessionGone();
    }
    if (Date.parse(session.expiresAt) <= this.clock()) throw sessionGone();
    const user = await this.users.findById(session.userId);
    if (!user?.active) throw sessionGone();
    return this.startSession(user, session.familyId);
  }

  /**
   * Ends the login that `refreshToken` (or the access token's session) belongs to, and denies the
   * presented access token by `jti` until it expires (that also ends externally issued tokens).
   */
  async logout(options: { refreshToken?: string; sessionId?: string; accessToken?: { userId: string; tokenId: string; expiresAt: Date } }): Promise<void> {
    const session = options.refreshToken
      ? await this.sessions.findByTokenHash(sha256(options.refreshToken))
      : options.sessionId
        ? await this.sessions.findById(options.sessionId)
        : null;
    if (session) await this.sessions.revokeFamily(session.familyId);
    const access = options.accessToken;
    if (access?.tokenId) await this.denyList?.deny(access.tokenId, access.expiresAt);
    const userId = session?.userId ?? access?.userId;
    if (userId) for (const listener of this.revokeListeners) listener(userId);
  }

  /**
   * Whether an identity accepted earlier still holds: null when it does, else why not (the user
   * was disabled, the login ended, the token was denied). Open sockets are checked with it.
   */
  async revoked(identity: { userId: string; sessionId?: string; tokenId: string }): Promise<string | null> {
    const user = await this.users.findById(identity.userId);
    if (!user?.active) return "account disabled";
    if (identity.sessionId) {
      const session = await this.sessions.findById(identity.sessionId);
      if (!session || session.revokedAt) return "session ended";
    }
    if (identity.tokenId && (await this.denyList?.isDenied(identity.tokenId))) return "token revoked";
    return null;
  }

  /**
   * The active user behind an access token. Our own tokens are also checked against their login
   * session, so logout and `user disable` take effect at once. Throws AppError `unauthorized`.
   */
  async authenticate(token: string): Promise<{ user: User; sessionId?: string; tokenId: string; expiresAt: Date }> {
    const claims = await this.tokens.verify(token);
    if (claims.tokenId && (await this.denyList?.isDenied(claims.tokenId))) throw sessionGone();
    const user = await this.users.findById(claims.userId);
    if (!user) throw new AppError("unauthorized", "The access token names an unknown user.");
    if (!user.active) throw new AppError("unauthorized", "This account is disabled.");
    if (!claims.external) {
      const session = claims.sessionId ? await this.sessions.findById(claims.sessionId) : null;
      if (!session || session.revokedAt || session.userId !== user.id) throw sessionGone();
    }
    return { user, sessionId: claims.sessionId, tokenId: claims.tokenId, expiresAt: claims.expiresAt };
  }

  private async startSession(user: User, familyId: string): Promise<LoginResult> {
    const refreshToken = newRefreshToken();
    const expiresAt = new Date(this.clock() + this.sessionMaxAgeMs);
    const session = await this.sessions.create({ userId: user.id, familyId, tokenHash: sha256(refreshToken), expiresAt });
    const access = await this.tokens.issue(user.id, session.id);
    return { user, access, refresh: { token: refreshToken, expiresAt } };
  }
}
