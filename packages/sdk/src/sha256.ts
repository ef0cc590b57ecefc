/**
 * SHA-256 (FIPS 180-4), written here for the proof-of-work solver (pow.ts) rather than
 * taken from a library. The widget loads the solver as a chunk of its own, and issue 5
 * gives that chunk at most 2 KiB brotli; @noble/hashes, which the solver used before,
 * brings 1.95 KiB brotli for its SHA-256 class alone (0.33 KiB of it the table of round
 * constants, which compresses badly), leaving nothing for the solver. WebCrypto is no way
 * out: pages on plain http have no `crypto.subtle`, and its promise per hash made the
 * first solver about five times slower (bench/README.md).
 *
 * So this file holds only what the solver needs: the compression function, and a hasher
 * that hashes a fixed prefix once and then, for each suffix (a nonce's digits), only the
 * last one or two blocks. The constants are computed when the module loads, from their
 * definition, instead of written out. It is tested as a SHA-256 against the examples of
 * FIPS 180-4, and as the solver uses it against `node:crypto`, over every offset of the
 * prefix in its block (sha256.test.ts, pow.test.ts).
 */
// biome-ignore-all lint/style/noNonNullAssertion: every index here is in bounds by construction (64 rounds, 8 state words, 16 words a block); `?? 0` on each read of the hot loop would only add noise

/**
 * The round constants (FIPS 180-4, 4.2.2) and the initial hash value (5.3.3): the first
 * 32 bits of the fractional parts of the cube roots of the first 64 primes, and of the
 * square roots of the first 8. Exported for the test that compares them with the standard.
 */
export const K = new Int32Array(64);
export const IV = new Int32Array(8);
for (let n = 2, found = 0; found < 64; n++) {
  let d = 2;
  while (n % d) d++;
  if (d < n) continue; // not a prime
  // Storing x·2³² in an Int32Array keeps the integer part modulo 2³²: the fraction's first 32 bits.
  if (found < 8) IV[found] = Math.sqrt(n) * 2 ** 32;
  K[found++] = Math.cbrt(n) * 2 ** 32;
}

/** The message schedule, reused by every block. */
const W = new Int32Array(64);

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** Mixes one block, the 16 words of `m` from `at`, into the hash state `h` (FIPS 180-4, 6.2.2). */
function compress(h: Int32Array, m: Int32Array, at: number): void {
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let k = h[7]!;
  for (let i = 0; i < 64; i++) {
    if (i < 16) W[i] = m[at + i]!;
    else {
      const x = W[i - 15]!;
      const y = W[i - 2]!;
      W[i] =
        (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) +
        (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10)) +
        W[i - 7]! +
        W[i - 16]!;
    }
    const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  // An Int32Array stores each sum modulo 2³².
  h[0]! += a;
  h[1]! += b;
  h[2]! += c;
  h[3]! += d;
  h[4]! += e;
  h[5]! += f;
  h[6]! += g;
  h[7]! += k;
}

/** Puts byte `i` of a message into its big-endian word (the words start zeroed). */
function put(words: Int32Array, i: number, byte: number): void {
  // The shift is 24, 16, 8 or 0: `<<` uses only the low five bits of `~i << 3`.
  words[i >> 2]! |= byte << (~i << 3);
}

/**
 * SHA-256 of `prefix` followed by a suffix, for one suffix after another. The prefix's
 * whole 64-byte blocks are hashed once; each call then hashes only what is left of it,
 * the suffix and the padding, one block or two, with nothing allocated. The suffix is
 * given as bytes; `prefix.length % 64 + suffix.length` must be at most 119 (a nonce's
 * 20 digits always fit). The digest comes as eight big-endian 32-bit words (signed), in
 * an array that the next call rewrites. Internal (not exported by the package).
 *
 * @example
 * const hash = sha256After(new TextEncoder().encode('token:'));
 * hash([52, 50]); // SHA-256 of 'token:42'; hash(…)[0] holds its first four bytes
 */
export function sha256After(prefix: Uint8Array): (suffix: ArrayLike<number>) => Int32Array {
  const tail = prefix.length & 63;
  const whole = (prefix.length - tail) >> 2;
  // The prefix as words, with room after it for the suffix and padding of the last blocks.
  const words = new Int32Array(whole + 32);
  for (const [i, byte] of prefix.entries()) put(words, i, byte);
  const start = IV.slice();
  for (let at = 0; at < whole; at += 16) compress(start, words, at);
  const last = words.subarray(whole);
  const block = new Int32Array(32);
  const state = new Int32Array(8);
  return (suffix) => {
    block.set(last);
    let i = tail;
    for (let j = 0; j < suffix.length; j++) put(block, i++, suffix[j]!);
    put(block, i, 0x80);
    // The 0x80 byte and the 8-byte length must fit after the message: in one block up to byte 55.
    const end = i < 56 ? 16 : 32;
    const bits = (prefix.length + suffix.length) * 8;
    block[end - 2] = bits / 2 ** 32;
    block[end - 1] = bits;
    state.set(start);
    compress(state, block, 0);
    if (end > 16) compress(state, block, 16);
    return state;
  };
}
