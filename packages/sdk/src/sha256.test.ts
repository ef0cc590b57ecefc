import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IV, K, sha256After } from './sha256.js';

// FIPS 180-4, 4.2.2: the 64 round constants, as the standard prints them.
const STANDARD_K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];
// FIPS 180-4, 5.3.3: the initial hash value.
const STANDARD_IV = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

// The examples of FIPS 180-4 (NIST's "SHA256.pdf", one block, two blocks, 448 and 896
// bits), the empty message and a million a's.
const VECTORS: [string, string][] = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
  [
    'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
  ],
  ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
];

/** A digest given as big-endian 32-bit words, in hexadecimal. */
const hex = (words: Int32Array) =>
  Array.from(words, (word) => (word >>> 0).toString(16).padStart(8, '0')).join('');

/** Whether a suffix of `length` bytes may follow `prefix` (sha256After's limit). */
const fits = (prefix: Uint8Array, length: number) => (prefix.length % 64) + length <= 119;

describe('SHA-256', () => {
  it('computes the round constants and initial hash value the standard prints', () => {
    expect(Array.from(K, (k) => k >>> 0)).toEqual(STANDARD_K);
    expect(Array.from(IV, (h) => h >>> 0)).toEqual(STANDARD_IV);
  });

  it.each(VECTORS.map(([message, digest]) => [message.length, message, digest]))(
    'gives the standard digest of a %i-byte message, however it is split into prefix and suffix',
    (_, message, digest) => {
      const bytes = new TextEncoder().encode(message);
      // Every split whose suffix fits, the whole message as the prefix among them.
      let splits = 0;
      for (let cut = 0; cut <= bytes.length; cut++) {
        const prefix = bytes.subarray(0, cut);
        if (!fits(prefix, bytes.length - cut)) continue;
        expect(hex(sha256After(prefix)(bytes.subarray(cut))), `cut at ${cut}`).toBe(digest);
        splits += 1;
      }
      expect(splits).toBeGreaterThan(0);
    },
  );

  it('hashes any bytes as node:crypto does, with one prefix for many suffixes', () => {
    // Bytes of every value (the high bit set too), prefixes of 0 to 200 bytes, and
    // suffixes of every length that fits.
    const bytes = createHash('sha512').update('hiwar').digest();
    const data = new Uint8Array(330).map((_, i) => (bytes[i % 64] ?? 0) ^ i);
    let compared = 0;
    for (let cut = 0; cut <= 200; cut++) {
      const prefix = data.subarray(0, cut);
      const hash = sha256After(prefix);
      for (let length = 0; fits(prefix, length); length++) {
        const suffix = data.subarray(cut, cut + length);
        const expected = createHash('sha256').update(prefix).update(suffix).digest('hex');
        expect(hex(hash(suffix)), `${cut} + ${length}`).toBe(expected);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(15_000);
  });
});
