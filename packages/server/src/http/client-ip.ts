import { BlockList, isIP } from 'node:net';

/**
 * Finds the client's address: the socket's peer, unless that peer is a trusted
 * proxy, in which case `X-Forwarded-For` is walked from the right, skipping
 * trusted hops. A forged header from anyone else changes nothing.
 *
 * @example
 * const clientIp = createClientIpResolver(['10.0.0.0/8'])
 * clientIp('10.0.0.2', '203.0.113.9, 10.0.0.3') // → '203.0.113.9'
 */
export type ClientIpResolver = (peer: string, forwardedFor?: string) => string;

export function createClientIpResolver(trusted: readonly string[]): ClientIpResolver {
  const list = new BlockList();
  for (const entry of trusted) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  const isTrusted = (ip: string) => {
    const version = isIP(ip);
    return version !== 0 && list.check(ip, version === 6 ? 'ipv6' : 'ipv4');
  };
  return (peer, forwardedFor) => {
    const socketIp = normalizeIp(peer);
    if (trusted.length === 0 || !forwardedFor || !isTrusted(socketIp)) return socketIp;
    const hops = forwardedFor.split(',').map((hop) => normalizeIp(hop.trim()));
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] as string;
      if (isIP(hop) === 0) return socketIp;
      if (!isTrusted(hop)) return hop;
    }
    return hops[0] ?? socketIp;
  };
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; IPv6 lower-cased. */
export function normalizeIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  return ip.toLowerCase();
}
