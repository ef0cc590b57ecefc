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

/**
 * The network an address belongs to for bans and login throttling: an IPv4 address
 * itself, or the /64 of an IPv6 address (one household or phone usually holds a
 * whole /64 and can pick any address in it). Anything else is returned as it is.
 *
 * @example
 * ipNetwork('203.0.113.9') // → '203.0.113.9'
 * ipNetwork('2001:DB8::1') // → '2001:db8:0:0::/64'
 */
export function ipNetwork(ip: string): string {
  const address = ip.replace(/%.*$/, '').toLowerCase();
  if (isIP(address) !== 6) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail counts as two groups; it never reaches the first four.
  const rightGroups = right.reduce((n, group) => n + (group.includes('.') ? 2 : 1), 0);
  const groups =
    tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - rightGroups)).fill('0')];
  return `${groups
    .slice(0, 4)
    .map((group) => (group.includes('.') ? '0' : group.replace(/^0+(?=.)/, '')))
    .join(':')}::/64`;
}
