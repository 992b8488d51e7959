import { describe, expect, test } from "bun:test";
import { ClientIpResolver, normalizeIp } from "../../src/net/client-ip.ts";

const xff = (value?: string) => new Headers(value === undefined ? {} : { "x-forwarded-for": value });

describe("ClientIpResolver", () => {
  test("without trusted proxies the socket address is the client, whatever the header says", () => {
    const resolver = new ClientIpResolver([]);
    expect(resolver.resolve("203.0.113.9", xff("1.2.3.4"))).toBe("203.0.113.9");
    expect(resolver.resolve(undefined, xff())).toBe("unknown");
  });

  test("behind a trusted proxy the right-most untrusted hop is the client", () => {
    const resolver = new ClientIpResolver(["10.0.0.0/8", "192.168.1.1"]);
    expect(resolver.resolve("10.1.1.1", xff("198.51.100.7"))).toBe("198.51.100.7");
    // The client forged a first hop; the proxy appended the address it really saw.
    expect(resolver.resolve("10.1.1.1", xff("6.6.6.6, 198.51.100.7"))).toBe("198.51.100.7");
    // Two proxies in a chain: both trusted hops are skipped.
    expect(resolver.resolve("10.1.1.1", xff("198.51.100.7, 192.168.1.1"))).toBe("198.51.100.7");
    // Only proxies in the chain: the left-most is all we know.
    expect(resolver.resolve("10.1.1.1", xff("10.2.2.2"))).toBe("10.2.2.2");
    expect(resolver.resolve("10.1.1.1", xff())).toBe("10.1.1.1");
    // Garbage ends the walk at the last good hop.
    expect(resolver.resolve("10.1.1.1", xff("198.51.100.7, not-an-ip"))).toBe("10.1.1.1");
  });

  test("an untrusted peer cannot spoof its address", () => {
    const resolver = new ClientIpResolver(["10.0.0.0/8"]);
    expect(resolver.resolve("203.0.113.9", xff("10.0.0.1"))).toBe("203.0.113.9");
  });

  test("IPv4-mapped IPv6 and IPv6 blocks", () => {
    expect(normalizeIp("::FFFF:127.0.0.1")).toBe("127.0.0.1");
    const resolver = new ClientIpResolver(["127.0.0.1", "fd00::/8"]);
    expect(resolver.resolve("::ffff:127.0.0.1", xff("2001:db8::1"))).toBe("2001:db8::1");
    expect(resolver.resolve("fd00::5", xff("2001:db8::2"))).toBe("2001:db8::2");
    expect(resolver.isTrusted("2001:db8::1")).toBe(false);
  });

  test("X-Forwarded-Proto counts only from a trusted proxy", () => {
    const resolver = new ClientIpResolver(["127.0.0.1"]);
    const request = new Request("http://x/", { headers: { "x-forwarded-proto": "https" } });
    expect(resolver.isSecure("127.0.0.1", request)).toBe(true);
    expect(resolver.isSecure("127.0.0.2", request)).toBe(false);
    expect(resolver.isSecure(undefined, new Request("https://x/"))).toBe(true);
  });
});
