import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const SECRET_FILE = "jwt-secret";
const MIN_SECRET_BYTES = 32;

/**
 * The HS256 secret: the configured one, else the one persisted in `dataDir/jwt-secret`, else a new
 * 48-byte random secret written there with mode 0600. Throws when a secret is shorter than 32 bytes.
 */
export function loadOrCreateSecret(configured: string | undefined, dataDir: string): Uint8Array {
  if (configured !== undefined) return checked(new TextEncoder().encode(configured), "auth.jwt_secret");
  const path = join(dataDir, SECRET_FILE);
  if (existsSync(path)) return checked(new TextEncoder().encode(readFileSync(path, "utf8").trim()), path);
  mkdirSync(dataDir, { recursive: true });
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString("base64url");
  writeFileSync(path, secret + "\n", { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
  return new TextEncoder().encode(secret);
}

function checked(secret: Uint8Array, where: string): Uint8Array {
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new Error(`${where}: the JWT secret must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  return secret;
}
