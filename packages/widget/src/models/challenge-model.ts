import type { LiteClient, ProofOfWork } from '@hiwar/sdk';

/** What a comment carries to show that a person filled in the form; either may be missing. */
export interface FormProof {
  formToken?: string;
  proof?: string;
}

/** Solves a puzzle, as the SDK's `solveProofOfWork`. */
export type Solver = (
  formToken: string,
  pow: ProofOfWork,
  options: { signal: AbortSignal },
) => Promise<string>;

export interface ChallengeModelOptions {
  client: LiteClient;
  /** Loads the solver; by default the chunk `pow.ts`, fetched only when a challenge carries a puzzle. */
  solver?: () => Promise<Solver>;
}

/** A token this close to its expiry is not sent: the comment could reach the server too late. */
const EXPIRY_MARGIN_MS = 60_000;

const loadSolver = () => import('../pow.js').then((m) => m.solveProofOfWork);

interface Ticket {
  proof: Promise<FormProof>;
  /** Until when (ms) the token may be sent; Infinity while it is being fetched. */
  until: number;
  done?: boolean;
}

/**
 * The form token of the next comment (`GET /api/v1/challenge`) and, when the site asks
 * for one, the answer to its proof-of-work puzzle, solved in the background while the
 * reader types (on plain http pages too: the solver needs no `crypto.subtle`). Nothing
 * here ever fails: without a token (the server unreachable) or a proof (the solver's
 * chunk could not be loaded) the comment goes without, and the server decides what to
 * do with it.
 *
 * @example
 * const challenge = createChallengeModel({ client });
 * form.addEventListener('focusin', challenge.prepare); // starts early
 * const { formToken, proof } = await challenge.prepare(); // at submit
 * challenge.renew(); // the token was sent: tokens are single use
 */
export function createChallengeModel({ client, solver = loadSolver }: ChallengeModelOptions) {
  const controller = new AbortController();
  const { signal } = controller;
  let current: Ticket | null = null;

  const start = (): Ticket => {
    const ticket: Ticket = { until: Number.POSITIVE_INFINITY } as Ticket;
    let formToken: string | undefined;
    ticket.proof = (async (): Promise<FormProof> => {
      try {
        const challenge = await client.challenge.get({}, { signal });
        formToken = challenge.formToken;
        ticket.until = Date.parse(challenge.expiresAt) - EXPIRY_MARGIN_MS;
        const { pow } = challenge;
        if (pow) return { formToken, proof: await (await solver())(formToken, pow, { signal }) };
      } catch {
        // No token: asked again next time. (A solver that failed leaves the token, unsolved.)
        if (!formToken && current === ticket) current = null;
      }
      return { formToken };
    })().finally(() => {
      ticket.done = true;
    });
    return ticket;
  };

  /** A token (and its proof) on its way or still good; else a new one is asked for. */
  const prepare = (): Promise<FormProof> => {
    if (!current || current.until <= Date.now()) current = start();
    return current.proof;
  };

  return {
    prepare,

    /** Whether {@link prepare} would answer at once, with nothing left to fetch or solve. */
    ready: (): boolean => !!current?.done && current.until > Date.now(),

    /** Drops the token, which a comment carried to the server (tokens are single use), and starts on the next. */
    renew() {
      current = null;
      prepare();
    },

    dispose() {
      controller.abort();
    },
  };
}

export type ChallengeModel = ReturnType<typeof createChallengeModel>;
