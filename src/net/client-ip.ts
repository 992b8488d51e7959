import { BlockList, isIP } from "node:net";

/** `::ffff:10.0.0.1` → `10.0.0.1`, so one client has one address whichever stack it came over. */
export function normalizeIp(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
}

/**
 * Who a request really comes from. Without trusted proxies it is the socket's peer address. When
 * the peer is a trusted proxy, it is the right-most X-Forwarded-For address that is not itself a
 * trusted proxy: each proxy appends the address it saw, so everything left of the first untrusted
 * hop may have been written by the client and is ignored. A peer that is not trusted cannot set
 * its address with the header.
 */
export class ClientIpResolver {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  constructor(trustedProxies: readonly string[]) {
    this.any = trustedProxies.length > 0;
    for (const entry of trustedProxies) {
      const [address, prefix] = entry.split("/") as [string, string | undefined];
      const type = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (prefix === undefined) this.trusted.addAddress(address, type);
      else this.trusted.addSubnet(address, Number(prefix), type);
    }
  }

  /** Whether `address` is one of the configured proxies. */
  isTrusted(address: string | undefined): boolean {
    if (!this.any || !address) return false;
    const ip = normalizeIp(address);
    const family = isIP(ip);
    return family !== 0 && this.trusted.check(ip, family === 6 ? "ipv6" : "ipv4");
  }

  /** The client's address; `unknown` when the socket has none (never happens on TCP). */
  resolve(peer: string | undefined, headers: Headers): string {
    if (!peer) return "unknown";
    let client = normalizeIp(peer);
    if (!this.isTrusted(client)) return client;
    const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((hop) => normalizeIp(hop.trim()));
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      // A garbled hop ends the walk: the last address we could trust the chain up to is the client.
      if (isIP(hop) === 0) break;
      client = hop;
      if (!this.isTrusted(hop)) break;
    }
    return client;
  }

  /** True when the request reached the first proxy over TLS (X-Forwarded-Proto from a trusted peer), or us directly. */
  isSecure(peer: string | undefined, request: Request): boolean {
    if (new URL(request.url).protocol === "https:") return true;
    if (!this.isTrusted(peer)) return false;
    return request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
  }
}
