import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { solveProofOfWork } from './index.js';
import { sha256After } from './sha256.js';

// The server's check (server/src/abuse/challenge.ts, verifyProof), written again with
// Node's own hash: the solver must agree with it byte for byte.
function zeroBits(token: string, proof: string): number {
  const hash = createHash('sha256').update(`${token}:${proof}`, 'utf8').digest();
  let bits = 0;
  for (const byte of hash) {
    if (byte) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

const TOKEN = 'AQAAAAAAAAAAAAAAAAAAAAAAAZWRaF0AEG5ld3M.3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const pow = (difficulty: number) => ({ algorithm: 'SHA-256' as const, difficulty });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('solveProofOfWork', () => {
  it.each([1, 8, 12])(
    'finds the first decimal nonce the server accepts at difficulty %i',
    async (difficulty) => {
      const proof = await solveProofOfWork(TOKEN, pow(difficulty));

      expect(proof).toMatch(/^\d{1,20}$/);
      expect(proof).toBe(String(Number(proof))); // no leading zeros
      expect(zeroBits(TOKEN, proof)).toBeGreaterThanOrEqual(difficulty);
      // It counts up from 0: no smaller nonce solves the puzzle.
      for (let n = 0; n < Number(proof); n++) expect(zeroBits(TOKEN, String(n))).toBeLessThan(difficulty);
    },
  );

  it('hashes the UTF-8 bytes of the token', async () => {
    const token = 'رمز-النموذج.é';

    const proof = await solveProofOfWork(token, pow(8));

    expect(zeroBits(token, proof)).toBeGreaterThanOrEqual(8);
  });

  it('gives the page a turn between slices, behind the tasks already waiting', async () => {
    const timer = vi.spyOn(globalThis, 'setTimeout');

    // A slice of 0 ms ends after each batch of 64 hashes.
    const proof = await solveProofOfWork(TOKEN, pow(12), { sliceMs: 0 });

    expect(Number(proof)).toBeGreaterThanOrEqual(64); // more than one batch was needed
    expect(timer.mock.calls.filter(([, ms]) => ms === 0)).toHaveLength(Math.floor(Number(proof) / 64));
    timer.mockRestore();
  });

  it('stops when its signal aborts, with the signal’s reason', async () => {
    const controller = new AbortController();
    // The page's turn aborts: the next batch is never started.
    const turns = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((resolve: () => void) => {
      controller.abort();
      resolve();
    }) as unknown as typeof setTimeout);

    // 32 bits: about four billion hashes, which the test must not wait for.
    const solving = solveProofOfWork(TOKEN, pow(32), { signal: controller.signal, sliceMs: 0 });

    await expect(solving).rejects.toMatchObject({ name: 'AbortError' });
    expect(turns).toHaveBeenCalledTimes(1);
    turns.mockRestore();
    await expect(solveProofOfWork(TOKEN, pow(1), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('needs no crypto.subtle (a page on plain http has none), and refuses an unknown algorithm', async () => {
    const algorithm = { algorithm: 'SHA-3', difficulty: 8 } as unknown as ReturnType<typeof pow>;
    await expect(solveProofOfWork(TOKEN, algorithm)).rejects.toThrow(/SHA-3/);

    vi.stubGlobal('crypto', undefined);
    const proof = await solveProofOfWork(TOKEN, pow(8));

    expect(zeroBits(TOKEN, proof)).toBeGreaterThanOrEqual(8);
  });
});

describe('the solver’s hasher (sha256After)', () => {
  it('gives the digest node:crypto gives, for every length of prefix and of nonce', () => {
    // Prefixes of 0 to 130 bytes end at every offset of a 64-byte block (twice); with
    // nonces of 1 to 20 digits the padding falls in the last block or a block of its own.
    const nonces = [
      ...Array.from({ length: 120 }, (_, n) => String(n)),
      ...Array.from({ length: 20 }, (_, k) => '9'.repeat(k + 1)),
      ...Array.from({ length: 19 }, (_, k) => `1${'0'.repeat(k + 1)}`),
      '18446744073709551615',
    ];
    const prefixes = Array.from({ length: 131 }, (_, n) => TOKEN.repeat(2).slice(0, n));
    prefixes.push(`${TOKEN}:`, 'رمز-النموذج.é:');
    let compared = 0;
    for (const prefix of prefixes) {
      // As the solver calls it: the prefix's UTF-8 bytes, then the nonce's ASCII codes.
      const hash = sha256After(new TextEncoder().encode(prefix));
      for (const nonce of nonces) {
        const expected = createHash('sha256').update(`${prefix}${nonce}`, 'utf8').digest('hex');
        const digits = Array.from(nonce, (digit) => digit.charCodeAt(0));
        expect(hex(hash(digits)), `${prefix}${nonce}`).toBe(expected);
        compared += 1;
      }
    }
    expect(compared).toBe(133 * 160);
  });
});

/** A digest given as big-endian 32-bit words, in hexadecimal. */
function hex(words: Int32Array): string {
  return Array.from(words, (word) => (word >>> 0).toString(16).padStart(8, '0')).join('');
}
