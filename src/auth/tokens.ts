import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  importSPKI,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWTVerifyGetKey,
} from "jose";
import { durationMs } from "../config/schema.ts";
import type { Config } from "../config/schema.ts";
import { AppError } from "../errors.ts";

export interface AccessClaims {
  userId: string;
  /** The login session the token belongs to; absent on externally issued tokens. */
  sessionId?: string;
  tokenId: string;
  expiresAt: Date;
  external: boolean;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

const unauthenticated = (message: string) => new AppError("unauthorized", message);

/**
 * Signs and verifies access tokens. Our own tokens are HS256 only; tokens from an external issuer
 * are accepted only with the configured asymmetric algorithms, so an HS token can never be checked
 * against a public key (no algorithm confusion) and `alg: none` is never accepted.
 */
export class TokenService {
  private readonly ttlMs: number;
  private readonly externalKeys = new Map<string, Promise<CryptoKey | JWTVerifyGetKey>>();

  constructor(
    private readonly secret: Uint8Array,
    private readonly auth: Config["auth"],
    private readonly clock: () => number = Date.now,
  ) {
    this.ttlMs = durationMs(auth.token_ttl);
  }

  async issue(userId: string, sessionId: string): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.clock() / 1000);
    const expiresAt = new Date((issuedAt * 1000) + this.ttlMs);
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(userId)
      .setJti(crypto.randomUUID())
      .setIssuer(this.auth.issuer)
      .setAudience(this.auth.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.secret);
    return { token, expiresAt };
  }

  /** Verifies signature, algorithm, `exp`, `iat`, `iss` and `aud`. Throws AppError `unauthorized`. */
  async verify(token: string): Promise<AccessClaims> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated("The access token is malformed.");
    }
    const external = alg !== "HS256";
    const external_ = this.auth.external;
    if (external && !(external_.jwks_url || external_.public_key)) throw unauthenticated("The access token's algorithm is not accepted.");
    try {
      const currentDate = new Date(this.clock());
      const { payload } = external
        ? await jwtVerify(token, (await this.externalVerifier(alg!)) as CryptoKey, {
            algorithms: external_.algorithms,
            issuer: external_.issuer ?? this.auth.issuer,
            audience: external_.audience ?? this.auth.audience,
            requiredClaims: ["sub", "exp", "iat"],
            currentDate,
          })
        : await jwtVerify(token, this.secret, {
            algorithms: ["HS256"],
            issuer: this.auth.issuer,
            audience: this.auth.audience,
            requiredClaims: ["sub", "exp", "iat", "jti", "sid"],
            currentDate,
          });
      if (typeof payload.iat === "number" && payload.iat * 1000 > this.clock() + 60_000) {
        throw unauthenticated("The access token was issued in the future.");
      }
      return {
        userId: payload.sub!,
        sessionId: typeof payload.sid === "string" ? payload.sid : undefined,
        tokenId: payload.jti ?? "",
        expiresAt: new Date(payload.exp! * 1000),
        external,
      };
    } catch (error) {
      if (error instanceof AppError) throw error;
      const code = (error as { code?: string }).code;
      throw unauthenticated(
        code === "ERR_JWT_EXPIRED" ? "The access token has expired; refresh it or log in again." : "The access token is not valid.",
      );
    }
  }

  /** The JWKS key set, or the PEM key imported for `alg` (a key imports only for its own family). */
  private externalVerifier(alg: string): Promise<CryptoKey | JWTVerifyGetKey> {
    const external = this.auth.external;
    if (!external.algorithms.includes(alg as never)) return Promise.reject(unauthenticated("The access token's algorithm is not accepted."));
    const cacheKey = external.jwks_url ? "jwks" : alg;
    let key = this.externalKeys.get(cacheKey);
    if (!key) {
      key = external.jwks_url ? Promise.resolve(createRemoteJWKSet(new URL(external.jwks_url))) : importSPKI(external.public_key!, alg);
      this.externalKeys.set(cacheKey, key);
    }
    return key;
  }
}
