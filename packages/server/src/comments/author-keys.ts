import { isIP } from 'node:net';
import { foldArabic } from '../content/fold-arabic.js';
import { hmac, type Keys } from '../crypto/keys.js';

/**
 * The network a ban on an address covers: an IPv4 address itself, or the /64 of an
 * IPv6 address (one household or phone usually holds a whole /64 and can pick any
 * address in it). Anything that is not an IP address is returned as it is.
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

/** Keyed hash of the client's network (see {@link ipNetwork}): `comments.ip_net_hash`, IP bans. */
export function ipNetHash(keys: Keys, ip: string): Buffer {
  return hmac(keys.ip, 'net:v1', ipNetwork(ip));
}

/** Keyed hash of a folded author name: name bans match «أحمد» and «احمد» alike. */
export function nameHash(keys: Keys, name: string): Buffer {
  return hmac(keys.emailIndex, 'name:v1', foldArabic(name));
}
