import { readFileSync } from "node:fs";
import type { Config } from "../config/schema.ts";

/**
 * The certificate and key of `server.tls`, read at start so a missing or unreadable file stops
 * agentd with a message naming the key, instead of failing at the first TLS handshake.
 */
export function readTls(config: Config): { cert: string; key: string } | undefined {
  const { cert, key } = config.server.tls;
  if (!cert || !key) return undefined;
  const read = (path: string, name: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      throw new Error(`server.tls.${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  };
  const tls = { cert: read(cert, "cert"), key: read(key, "key") };
  if (!tls.cert.includes("-----BEGIN")) throw new Error(`server.tls.cert: ${cert} is not a PEM certificate`);
  if (!tls.key.includes("-----BEGIN")) throw new Error(`server.tls.key: ${key} is not a PEM private key`);
  return tls;
}
