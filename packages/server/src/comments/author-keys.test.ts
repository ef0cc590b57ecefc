import { describe, expect, it } from 'vitest';
import { deriveKeys } from '../crypto/keys.js';
import { ipNetwork } from '../http/client-ip.js';
import { ipNetHash, nameHash } from './author-keys.js';

describe('ipNetwork', () => {
  it('keeps an IPv4 address whole', () => {
    expect(ipNetwork('203.0.113.9')).toBe('203.0.113.9');
    expect(ipNetwork('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('cuts an IPv6 address to its /64, however it is written', () => {
    expect(ipNetwork('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(ipNetwork('2001:0DB8:0001:0002:ffff::1')).toBe('2001:db8:1:2::/64');
    expect(ipNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipNetwork('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(ipNetwork('::1')).toBe('0:0:0:0::/64');
    expect(ipNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(ipNetwork('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('leaves what is not an address as it is', () => {
    expect(ipNetwork('unknown')).toBe('unknown');
  });
});

describe('keyed hashes', () => {
  const keys = deriveKeys('a test secret that is long enough to use');
  it('hash two addresses of one /64 alike and another /64 differently', () => {
    expect(ipNetHash(keys, '2001:db8:1:2::1')).toEqual(ipNetHash(keys, '2001:db8:1:2:ffff::9'));
    expect(ipNetHash(keys, '2001:db8:1:3::1')).not.toEqual(ipNetHash(keys, '2001:db8:1:2::1'));
    expect(ipNetHash(keys, '1.2.3.4')).not.toEqual(ipNetHash(keys, '1.2.3.5'));
  });

  it('hash names after folding, under a different key than another secret', () => {
    expect(nameHash(keys, 'أحمد')).toEqual(nameHash(keys, ' احمد '));
    expect(nameHash(keys, 'أحمد')).not.toEqual(
      nameHash(deriveKeys('another secret, long enough too'), 'أحمد'),
    );
  });
});
