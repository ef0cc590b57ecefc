import type { ProofOfWork } from '@hiwar/protocol';
import { sha256After } from './sha256.js';

/** How {@link solveProofOfWork} works through a puzzle. */
export interface SolveOptions {
  /** Stops the search; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Milliseconds of hashing before the page gets a turn (input, rendering). Default 10:
   * the solver never holds the main thread longer than a frame or so.
   */
  sliceMs?: number;
}

/**
 * Nonces tried between two looks at the clock and the signal: about a tenth of a
 * millisecond of hashing in a browser, so a slice ends close to `sliceMs`.
 */
const BATCH = 64;

/**
 * Solves the proof-of-work puzzle of a challenge (`GET /api/v1/challenge`): finds a
 * decimal nonce `proof` such that SHA-256 of the UTF-8 bytes of `${formToken}:${proof}`
 * starts with `pow.difficulty` zero bits, the sum the server checks. Send it as `proof`
 * with the same `formToken` when creating the comment.
 *
 * Isomorphic and pure JavaScript (a SHA-256 of its own, sha256.ts): it needs no
 * `crypto.subtle`, so it also runs on pages served over plain http, which browsers give
 * no WebCrypto. The token and colon are hashed once; each nonce then costs one
 * SHA-256 block from a copy of that state, with no promise to wait for. It is
 * time-sliced: every `sliceMs` it waits for a zero-delay timer, so the page's own work
 * (input, drawing, timers) goes on while it runs. Each added bit of difficulty doubles
 * the expected work (16 bits: 65 536 hashes on average).
 *
 * @example
 * const { formToken, pow } = await client.challenge.get();
 * const proof = pow ? await solveProofOfWork(formToken, pow, { signal }) : undefined;
 * await client.comments.create({ url, body, author, formToken, proof });
 */
export async function solveProofOfWork(
  formToken: string,
  pow: ProofOfWork,
  options: SolveOptions = {},
): Promise<string> {
  if (pow.algorithm !== 'SHA-256') throw new TypeError(`Unknown proof-of-work algorithm: ${pow.algorithm}`);
  const { signal, sliceMs = 10 } = options;
  const hash = sha256After(new TextEncoder().encode(`${formToken}:`));
  // The nonce's decimal digits as ASCII codes, counted up in place from "0": no string
  // is made for a nonce until one solves the puzzle.
  const digits = [48];
  for (;;) {
    const until = performance.now() + sliceMs;
    do {
      signal?.throwIfAborted();
      for (let n = 0; n < BATCH; n++) {
        if (leadingZeroBits(hash(digits)) >= pow.difficulty) return String.fromCharCode(...digits);
        increment(digits);
      }
    } while (performance.now() < until);
    // An abort while the page has its turn is noticed before the next batch.
    await yieldToPage();
  }
}

/** The next decimal number, in place: 199 → 200, 999 → 1000. */
function increment(digits: number[]): void {
  let i = digits.length;
  // Past the first digit, digits[-1] is undefined: i ends at -1 when every digit was a 9.
  while (digits[--i] === 57) digits[i] = 48;
  if (i < 0) digits.unshift(49);
  else digits[i] = (digits[i] ?? 0) + 1;
}

/** Zero bits at the start of a digest given as 32-bit words (as the server counts them). */
function leadingZeroBits(words: Int32Array): number {
  let bits = 0;
  for (const word of words) {
    bits += Math.clz32(word);
    if (word) break;
  }
  return bits;
}

/**
 * Lets the page handle input, draw and run its own tasks. A zero-delay timer queues the
 * solver behind whatever is waiting; `scheduler.yield()` would not do: its continuation
 * goes ahead of other tasks, and in Chromium a page's timers did not run at all while
 * it solved (bench/pow.mjs).
 */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
